using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Generator
{
    /// <summary>
    /// The models of audited types, kept across compilations. <c>ForAttributeWithMetadataName</c> runs the transform
    /// for every audited type after any edit; a model is reused when names bind alike in both compilations (the same
    /// <see cref="DeclarationVersion.Binding"/>) and none of the source type declarations it was computed from (the
    /// type's parts, its containing types, and the value types and base classes it lays out, transitively) has changed
    /// its attributes or members.
    /// </summary>
    internal static class AuditedTypeCache
    {
        /// <summary>Per binding version (weak: entries go with the last compilation of that version), the entries by the
        /// audited declaration's file index and ordinal.</summary>
        private static readonly ConditionalWeakTable<VersionKey, ConcurrentDictionary<(int Tree, int Part), Entry>> s_byBinding = new();

        public static bool TryGet(DeclarationVersion version, SyntaxNode declaration, int tree, int part, out AuditedType? model)
        {
            model = null;
            if (!s_byBinding.TryGetValue(version.Binding, out var entries) || !entries.TryGetValue((tree, part), out var entry))
            {
                return false;
            }

            if (entry.Full is not null && !ReferenceEquals(entry.Full, version.Full))
            {
                return false;
            }

            if (entry.Tree is not null && !(entry.Tree.TryGetTarget(out var sameTree) && ReferenceEquals(sameTree, declaration.SyntaxTree) && entry.SpanStart == declaration.SpanStart))
            {
                return false;
            }

            foreach (var dependency in entry.Dependencies)
            {
                var own = version.Trees[dependency.Tree].Own;
                if (dependency.Part >= own.Length || own[dependency.Part] != dependency.Own)
                {
                    return false;
                }
            }

            model = entry.Model;
            return true;
        }

        /// <param name="dependencies">The declarations the model was computed from, or null when it may depend on more
        /// (then it is reused only with the very same declarations).</param>
        public static void Add(DeclarationVersion version, SyntaxNode declaration, int tree, int part, Dependency[]? dependencies, AuditedType? model)
        {
            // A problem carries its location in the file, which any edit before it moves.
            bool located = model?.ProblemLocation is not null;
            var entry = new Entry(
                dependencies is null ? version.Full : null,
                located ? new WeakReference<SyntaxTree>(declaration.SyntaxTree) : null,
                declaration.SpanStart,
                dependencies ?? Array.Empty<Dependency>(),
                model);
            s_byBinding.GetValue(version.Binding, _ => new ConcurrentDictionary<(int, int), Entry>())[(tree, part)] = entry;
        }

        private sealed record Entry(VersionKey? Full, WeakReference<SyntaxTree>? Tree, int SpanStart, Dependency[] Dependencies, AuditedType? Model);
    }

    /// <summary>A type declaration a model was computed from, and its <see cref="TreeDeclarations.Own"/> fingerprint
    /// then.</summary>
    internal readonly record struct Dependency(int Tree, int Part, Fingerprint Own);
}
