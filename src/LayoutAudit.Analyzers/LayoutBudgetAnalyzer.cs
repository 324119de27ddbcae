using System.Collections.Immutable;
using System.Linq;
using LayoutAudit.Core;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LayoutAudit.Analyzers
{
    /// <summary>LA0002: an <c>[AuditLayout]</c> type over its padding budget or its maximum size. An error by
    /// default, so that CI can gate on it.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class LayoutBudgetAnalyzer : DiagnosticAnalyzer
    {
        public const string Id = "LA0002";

        private const string Title = "Layout exceeds its budget";

        public static readonly DiagnosticDescriptor PaddingOverBudget = new(
            Id,
            Title,
            "'{0}' has {1} bytes of padding, over its PaddingBudget of {2}",
            RuleHelp.LayoutCategory,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The type's padding, as the runtime lays it out, exceeds the PaddingBudget of its [AuditLayout].",
            helpLinkUri: RuleHelp.LinkFor(Id));

        public static readonly DiagnosticDescriptor SizeOverMaximum = new(
            Id,
            Title,
            "'{0}' is {1} bytes{2}, over its MaxSize of {3}",
            RuleHelp.LayoutCategory,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The type's size, as the runtime lays it out, exceeds the MaxSize of its [AuditLayout].",
            helpLinkUri: RuleHelp.LinkFor(Id));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(PaddingOverBudget, SizeOverMaximum);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var auditLayout = start.Compilation.GetTypeByMetadataName(AuditLayoutSettings.MetadataName);
                if (auditLayout is null)
                {
                    return;
                }

                start.RegisterSymbolAction(context => Analyze(context, auditLayout), SymbolKind.NamedType);
            });
        }

        private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol auditLayout)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (AuditLayoutSettings.Find(type, auditLayout) is not { } settings
                || (settings.PaddingBudget < 0 && settings.MaxSize < 0)
                || type.Locations.FirstOrDefault(l => l.IsInSource) is not { } location)
            {
                return;
            }

            // No layout (a type the runtime refuses, or one the engine cannot know): the generator says why; no guess here.
            if (LayoutEngine.For(context.Compilation).Compute(type, context.CancellationToken).Layout is not { } layout)
            {
                return;
            }

            string name = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            if (settings.PaddingBudget >= 0 && layout.Padding > settings.PaddingBudget)
            {
                context.ReportDiagnostic(Diagnostic.Create(PaddingOverBudget, location, name, layout.Padding, settings.PaddingBudget));
            }

            if (settings.MaxSize >= 0 && layout.Size > settings.MaxSize)
            {
                string what = layout.Category == TypeCategory.Class ? " on the heap (object header and method-table pointer included)" : "";
                context.ReportDiagnostic(Diagnostic.Create(SizeOverMaximum, location, name, layout.Size, what, settings.MaxSize));
            }
        }
    }
}
