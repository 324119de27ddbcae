using Microsoft.CodeAnalysis;

namespace LayoutAudit.Generator
{
    /// <summary>
    /// For each <c>[AuditLayout]</c> type: one generated file with its pahole-style report (a comment) and its
    /// prediction registered as <c>[assembly: LayoutAudit.PredictedLayout(typeof(T), "...")]</c>, read at run time
    /// by <c>LayoutVerifier</c> and after the build by the report task.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class AuditLayoutGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking names of the pipeline's steps (tests read them).</summary>
        public static class Steps
        {
            public const string AuditedTypes = nameof(AuditedTypes);
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            // No further steps between the transform and the output: on this API every step costs per audited type on
            // every edit, so the emitter skips the (rare) declarations that are not named types itself.
            var audited = context.SyntaxProvider
                .ForAttributeWithMetadataName(AuditedTypeParser.AttributeMetadataName, AuditedTypeParser.IsCandidate, AuditedTypeParser.Parse)
                .WithTrackingName(Steps.AuditedTypes);

            context.RegisterSourceOutput(audited, static (output, type) =>
            {
                if (type is not null)
                {
                    LayoutReportEmitter.Emit(output, type);
                }
            });
        }
    }
}
