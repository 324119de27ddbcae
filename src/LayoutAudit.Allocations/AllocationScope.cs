using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LayoutAudit.Allocations
{
    /// <summary>"Audited code": code under <c>[AuditAllocations]</c> (on the method, a containing type or the
    /// assembly), or every file whose .editorconfig or global config sets <c>layout_audit.allocation_scope = all</c>
    /// (<c>attributed</c>, the default, means the attribute alone decides).</summary>
    internal sealed class AllocationScope
    {
        public const string AttributeMetadataName = "LayoutAudit.AuditAllocationsAttribute";
        public const string OptionKey = "layout_audit.allocation_scope";
        public const string AllValue = "all";

        // Every rule asks for the scope of the same compilation: computed once and shared, with its caches.
        private static readonly ConditionalWeakTable<Compilation, Computed> s_byCompilation = new();

        private readonly INamedTypeSymbol? _attribute;
        private readonly bool _everything;
        private readonly AnalyzerConfigOptionsProvider _options;
        private readonly ConcurrentDictionary<ISymbol, bool> _attributedSymbols = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<SyntaxTree, bool> _allTrees = new();
        private readonly Func<SyntaxTree, bool> _isAllTree;
        private readonly Func<ISymbol, bool> _isAttributed;

        private AllocationScope(INamedTypeSymbol? attribute, bool assemblyAudited, AnalyzerConfigOptionsProvider options)
        {
            _attribute = attribute;
            _everything = assemblyAudited || IsAll(options.GlobalOptions);
            _options = options;
            _isAllTree = tree => IsAll(_options.GetOptions(tree));
            _isAttributed = IsAttributed;
        }

        private sealed class Computed
        {
            public Computed(AnalyzerOptions options, AllocationScope? scope)
            {
                Options = options;
                Scope = scope;
            }

            public AnalyzerOptions Options { get; }

            public AllocationScope? Scope { get; }
        }

        /// <summary>The scope of a compilation, or null when nothing in it can be audited (rules then register nothing).</summary>
        public static AllocationScope? For(Compilation compilation, AnalyzerOptions options)
        {
            lock (s_byCompilation)
            {
                if (s_byCompilation.TryGetValue(compilation, out var computed) && computed.Options == options)
                {
                    return computed.Scope;
                }

                var scope = Compute(compilation, options);
                s_byCompilation.Remove(compilation);
                s_byCompilation.Add(compilation, new Computed(options, scope));
                return scope;
            }
        }

        private static AllocationScope? Compute(Compilation compilation, AnalyzerOptions options)
        {
            var attribute = compilation.GetTypeByMetadataName(AttributeMetadataName);
            var provider = options.AnalyzerConfigOptionsProvider;
            if (attribute is null && !IsAll(provider.GlobalOptions) && !AnyTreeIsAll(compilation, provider))
            {
                return null;
            }

            bool assemblyAudited = attribute is not null && HasAttribute(compilation.Assembly, attribute);
            return new AllocationScope(attribute, assemblyAudited, provider);
        }

        /// <summary>Whether code inside <paramref name="symbol"/> (a member, accessor, lambda or local function) in
        /// <paramref name="tree"/> is audited.</summary>
        public bool Contains(ISymbol? symbol, SyntaxTree? tree)
        {
            if (_everything || (tree is not null && _allTrees.GetOrAdd(tree, _isAllTree)))
            {
                return true;
            }

            if (_attribute is null)
            {
                return false;
            }

            for (var current = symbol; current is not null && current is not INamespaceSymbol; current = current.ContainingSymbol)
            {
                if (_attributedSymbols.GetOrAdd(current, _isAttributed))
                {
                    return true;
                }
            }

            return false;
        }

        private bool IsAttributed(ISymbol symbol) =>
            HasAttribute(symbol, _attribute!)
            || (symbol is IMethodSymbol { AssociatedSymbol: { } property } && HasAttribute(property, _attribute!));

        private static bool AnyTreeIsAll(Compilation compilation, AnalyzerConfigOptionsProvider provider)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (IsAll(provider.GetOptions(tree)))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsAll(AnalyzerConfigOptions options) =>
            options.TryGetValue(OptionKey, out string? value) && string.Equals(value?.Trim(), AllValue, StringComparison.OrdinalIgnoreCase);

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
