using System.Collections.Immutable;
using LayoutAudit.Core;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LayoutAudit.Analyzers
{
    /// <summary>LA0006: <c>Dictionary&lt;K, Empty&gt;</c> used as a set. In Go <c>map[K]struct{}</c> costs nothing per
    /// value; in .NET an empty struct is 1 byte, stored (and padded) in every entry: <c>HashSet&lt;K&gt;</c> is the set.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class EmptyStructSetAnalyzer : DiagnosticAnalyzer
    {
        public const string Id = "LA0006";

        public static readonly DiagnosticDescriptor Rule = new(
            Id,
            "Dictionary with empty-struct values used as a set",
            "'{0}' stores the empty struct '{1}' as its values, which still takes {2} byte(s) in every entry (an empty struct is not 0 bytes in .NET): use HashSet<{3}>",
            RuleHelp.PerformanceCategory,
            DiagnosticSeverity.Info,
            isEnabledByDefault: true,
            description: "A dictionary whose values carry no data is a set; HashSet<T> stores only the keys.",
            helpLinkUri: RuleHelp.LinkFor(Id));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var dictionary = start.Compilation.GetTypeByMetadataName("System.Collections.Generic.Dictionary`2");
                if (dictionary is null)
                {
                    return;
                }

                start.RegisterOperationAction(context => Analyze(context, dictionary), OperationKind.ObjectCreation, OperationKind.CollectionExpression);
            });
        }

        private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol dictionary)
        {
            if (context.Operation.Type is not INamedTypeSymbol { IsGenericType: true } created
                || !SymbolEqualityComparer.Default.Equals(created.OriginalDefinition, dictionary)
                || created.TypeArguments[1] is not INamedTypeSymbol { TypeKind: TypeKind.Struct } value)
            {
                return;
            }

            if (LayoutEngine.For(context.Compilation).Compute(value, context.CancellationToken).Layout is { Category: TypeCategory.Struct, Fields.IsEmpty: true } layout)
            {
                var display = SymbolDisplayFormat.MinimallyQualifiedFormat;
                context.ReportDiagnostic(Diagnostic.Create(Rule, context.Operation.Syntax.GetLocation(), created.ToDisplayString(display), value.ToDisplayString(display), layout.Size, created.TypeArguments[0].ToDisplayString(display)));
            }
        }
    }
}
