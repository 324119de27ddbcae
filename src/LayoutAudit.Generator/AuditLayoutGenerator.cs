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

            public const string FileNames = nameof(FileNames);
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            // Steps cost per audited type on every edit, so there are two. The emitter skips the (rare) declarations
            // that are not named types itself.
            var audited = context.SyntaxProvider
                .ForAttributeWithMetadataName(AuditedTypeParser.AttributeMetadataName, AuditedTypeParser.IsCandidate, AuditedTypeParser.Parse)
                .WithTrackingName(Steps.AuditedTypes);

            // The file names get a step of their own so that they are allocated side by side, away from the reports: on
            // every run the driver compares each output's name with every earlier one (a linear search per output), and
            // names scattered among the reports made those reads miss the cache.
            var named = audited
                .Select(static (type, _) => (Name: type is null ? null : LayoutReportEmitter.HintName(type.ReflectionName), Type: type))
                .WithTrackingName(Steps.FileNames);

            context.RegisterSourceOutput(named, static (output, named) =>
            {
                if (named.Type is not null)
                {
                    LayoutReportEmitter.Emit(output, named.Name!, named.Type);
                }
            });
        }
    }
}
