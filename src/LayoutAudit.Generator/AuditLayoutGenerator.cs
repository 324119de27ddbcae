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
            var audited = context.SyntaxProvider
                .ForAttributeWithMetadataName(AuditedTypeParser.AttributeMetadataName, AuditedTypeParser.IsCandidate, AuditedTypeParser.Parse)
                .Where(static type => type is not null)
                .WithTrackingName(Steps.AuditedTypes);

            context.RegisterSourceOutput(audited, static (output, type) => LayoutReportEmitter.Emit(output, type!));
        }
    }
}
