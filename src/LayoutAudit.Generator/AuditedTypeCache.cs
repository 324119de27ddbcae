using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Generator
{
    /// <summary>
    /// The models of the audited types of unchanged files, kept across compilations. <c>ForAttributeWithMetadataName</c>
    /// runs the transform for every audited type after any edit; when the file of a type is the same tree and no
    /// declaration anywhere changed (<see cref="DeclarationVersion"/>), the type's model cannot have changed either, and
    /// the transform returns the model it computed before instead of binding the type's fields and laying it out again.
    /// </summary>
    internal static class AuditedTypeCache
    {
        private static readonly ConditionalWeakTable<SyntaxTree, ConcurrentDictionary<int, Entry>> s_byTree = new();

        public static bool TryGet(SyntaxNode declaration, DeclarationVersion version, out AuditedType? model)
        {
            if (s_byTree.TryGetValue(declaration.SyntaxTree, out var entries)
                && entries.TryGetValue(declaration.SpanStart, out var entry)
                && ReferenceEquals(entry.Version, version))
            {
                model = entry.Model;
                return true;
            }

            model = null;
            return false;
        }

        public static void Add(SyntaxNode declaration, DeclarationVersion version, AuditedType? model) =>
            s_byTree.GetValue(declaration.SyntaxTree, _ => new ConcurrentDictionary<int, Entry>())[declaration.SpanStart] = new Entry(version, model);

        private sealed record Entry(DeclarationVersion Version, AuditedType? Model);
    }
}
