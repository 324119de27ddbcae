using System.Collections.Immutable;
using System.Linq;
using LayoutAudit.Core;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LayoutAudit.Analyzers
{
    /// <summary>LA0001: a sequential struct whose smallest legal field order is smaller than its current one.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PaddingWasteAnalyzer : DiagnosticAnalyzer
    {
        public const string Id = "LA0001";

        /// <summary>Diagnostic property: the suggested order, metadata names joined by <see cref="OrderSeparator"/>.
        /// Present only when the code fix may reorder.</summary>
        public const string OrderProperty = "Order";

        public const char OrderSeparator = ',';

        private const string Title = "Field order wastes padding";

        public static readonly DiagnosticDescriptor Reorderable = new(
            Id,
            Title,
            "'{0}' is {1} bytes; ordering its fields {2} makes it {3} bytes, saving {4}",
            RuleHelp.LayoutCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "The struct's fields are laid out in declaration order, and this order leaves padding that a different order would not.",
            helpLinkUri: RuleHelp.LinkFor(Id));

        public static readonly DiagnosticDescriptor OrderIsAContract = new(
            Id,
            Title,
            "'{0}' is {1} bytes and ordering its fields {2} would make it {3} bytes, but no reorder is offered: {4}",
            RuleHelp.LayoutCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "The struct wastes padding, but its field order is a contract (or cannot be moved), so the fix is left to the author.",
            helpLinkUri: RuleHelp.LinkFor(Id));

        public static readonly DiagnosticDescriptor HolesInFixedLayout = new(
            Id,
            Title,
            "'{0}' has {1} bytes of padding between its fields, but no reorder is offered: {2}",
            RuleHelp.LayoutCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "The audited struct has holes between its fields, and its layout is fixed by its declaration.",
            helpLinkUri: RuleHelp.LinkFor(Id));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Reorderable, OrderIsAContract, HolesInFixedLayout);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var compilation = start.Compilation;
                var auditLayout = compilation.GetTypeByMetadataName(AuditLayoutSettings.MetadataName);
                if (auditLayout is null && !AnalyzerSettings.AnyTreeSets(compilation, start.Options, AnalyzerSettings.AllSequentialStructsKey, "true"))
                {
                    return;
                }

                var contracts = new LayoutContracts(compilation);
                start.RegisterSymbolAction(context => Analyze(context, auditLayout, contracts), SymbolKind.NamedType);
            });
        }

        private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol? auditLayout, LayoutContracts contracts)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind != TypeKind.Struct || type.IsImplicitlyDeclared || type.Locations.FirstOrDefault(l => l.IsInSource) is not { } location)
            {
                return;
            }

            bool audited = auditLayout is not null && AuditLayoutSettings.Find(type, auditLayout) is not null;
            if (!audited && !AnalyzerSettings.GetBool(context.Options, location.SourceTree, AnalyzerSettings.AllSequentialStructsKey))
            {
                return;
            }

            if (LayoutEngine.For(context.Compilation).Compute(type, context.CancellationToken).Layout is not { } layout)
            {
                return;
            }

            string name = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            if (!layout.HasSuggestion)
            {
                // Explicit layouts and Pack get no suggested order from the engine; an audited one still hears about its holes.
                int holes = layout.Holes.Where(h => !h.IsTrailing).Sum(h => h.Size);
                if (audited && holes > 0 && contracts.WhyOrderIsAContract(type, layout, context.CancellationToken) is { } fixedBy)
                {
                    context.ReportDiagnostic(Diagnostic.Create(HolesInFixedLayout, location, name, holes, fixedBy));
                }

                return;
            }

            string? contract = contracts.WhyOrderIsAContract(type, layout, context.CancellationToken);

            var declarations = FieldDeclarations.Find(type, layout.Fields.Select(f => f.Name), out string? cannotMove, context.CancellationToken);
            string order = DescribeOrder(layout, declarations);
            contract ??= cannotMove;
            if (contract is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(OrderIsAContract, location, name, layout.Size, order, layout.SuggestedSize, contract));
                return;
            }

            var properties = ImmutableDictionary<string, string?>.Empty.Add(OrderProperty, string.Join(OrderSeparator.ToString(), layout.SuggestedOrder));
            context.ReportDiagnostic(Diagnostic.Create(Reorderable, location, properties, name, layout.Size, order, layout.SuggestedSize, layout.Saving));
        }

        /// <summary>The suggested order as the user wrote the names (properties, not their backing fields).</summary>
        private static string DescribeOrder(TypeLayout layout, System.Collections.Generic.IReadOnlyList<FieldDeclaration>? declarations)
        {
            // Broken code can declare a name twice (CS0102): the first declaration names it.
            var byName = declarations?.GroupBy(d => d.MetadataName).ToDictionary(g => g.Key, g => g.First().DisplayName);
            return string.Join(", ", layout.SuggestedOrder.Select(n => byName is not null && byName.TryGetValue(n, out string? shown) ? shown : n));
        }
    }
}
