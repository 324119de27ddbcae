using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LayoutAudit.Analyzers
{
    /// <summary>"Audited code": members under <c>[AuditAllocations]</c> (on the member, a containing type or the
    /// assembly), or every file whose .editorconfig sets <c>layout_audit.allocation_scope = all</c>.</summary>
    internal sealed class AuditScope
    {
        public const string AttributeMetadataName = "LayoutAudit.AuditAllocationsAttribute";
        public const string AllValue = "all";

        private readonly INamedTypeSymbol? _attribute;
        private readonly bool _assemblyAudited;
        private readonly AnalyzerOptions _options;

        private AuditScope(INamedTypeSymbol? attribute, bool assemblyAudited, AnalyzerOptions options)
        {
            _attribute = attribute;
            _assemblyAudited = assemblyAudited;
            _options = options;
        }

        /// <summary>The scope of a compilation, or null when nothing in it is audited (the rule then registers nothing).</summary>
        public static AuditScope? For(Compilation compilation, AnalyzerOptions options)
        {
            var attribute = compilation.GetTypeByMetadataName(AttributeMetadataName);
            if (attribute is null && !AnalyzerSettings.AnyTreeSets(compilation, options, AnalyzerSettings.AllocationScopeKey, AllValue))
            {
                return null;
            }

            return new AuditScope(attribute, attribute is not null && HasAttribute(compilation.Assembly, attribute), options);
        }

        /// <summary>Whether code inside <paramref name="symbol"/> (a member, local function or type), in <paramref name="tree"/>, is audited.</summary>
        public bool Contains(ISymbol? symbol, SyntaxTree? tree)
        {
            if (_assemblyAudited)
            {
                return true;
            }

            string? scope = AnalyzerSettings.Get(_options, tree, AnalyzerSettings.AllocationScopeKey);
            if (scope is not null && string.Equals(scope.Trim(), AllValue, System.StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (_attribute is null)
            {
                return false;
            }

            for (var current = symbol; current is not null && current is not INamespaceSymbol; current = current.ContainingSymbol)
            {
                if (HasAttribute(current, _attribute)
                    || (current is IMethodSymbol { AssociatedSymbol: { } property } && HasAttribute(property, _attribute)))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attribute)
        {
            foreach (var data in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
