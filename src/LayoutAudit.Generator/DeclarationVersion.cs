using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Generator
{
    /// <summary>
    /// Identifies what every layout in a compilation depends on: the declarations of all its files (method bodies and
    /// initializers left out, as Roslyn's top-level equivalence defines them), its references and its options. Two
    /// compilations get the same version object exactly when those are the same, e.g. before and after an edit inside a
    /// method body, which no layout can see.
    /// </summary>
    internal sealed class DeclarationVersion
    {
        /// <summary>Bounds the path index in a long-lived compiler server that sees many projects.</summary>
        private const int MaxRememberedPaths = 100_000;

        private static readonly ConditionalWeakTable<Compilation, DeclarationVersion> s_byCompilation = new();

        /// <summary>An object per distinct top-level content of a file; a file's edited successor that is top-level
        /// equivalent gets its predecessor's object.</summary>
        private static readonly ConditionalWeakTable<SyntaxTree, object> s_treeVersions = new();

        private static readonly ConcurrentDictionary<string, WeakReference<SyntaxTree>> s_latestTreeByPath = new();

        /// <summary>The versions last handed out (a few, for the projects of one IDE session), so that equal versions are
        /// one object and compare by reference. Weak: a version lives only as long as a compilation or a cached model
        /// uses it (it holds the compilation's references).</summary>
        private static readonly WeakReference<DeclarationVersion>?[] s_recent = new WeakReference<DeclarationVersion>?[8];
        private static int s_nextRecent;

        private readonly ImmutableArray<MetadataReference> _references;
        private readonly CompilationOptions _options;
        private readonly object[] _trees;

        private DeclarationVersion(Compilation compilation, CancellationToken cancellationToken)
        {
            _references = compilation.References.ToImmutableArray();
            _options = compilation.Options;
            var trees = new System.Collections.Generic.List<object>();
            foreach (var tree in compilation.SyntaxTrees)
            {
                trees.Add(TreeVersion(tree, cancellationToken));
            }

            _trees = trees.ToArray();
        }

        public static DeclarationVersion For(Compilation compilation, CancellationToken cancellationToken)
        {
            if (s_byCompilation.TryGetValue(compilation, out var known))
            {
                return known;
            }

            var version = Canonical(new DeclarationVersion(compilation, cancellationToken));
            return s_byCompilation.GetValue(compilation, _ => version);
        }

        private static DeclarationVersion Canonical(DeclarationVersion version)
        {
            lock (s_recent)
            {
                foreach (var reference in s_recent)
                {
                    if (reference is not null && reference.TryGetTarget(out var recent) && recent.SameAs(version))
                    {
                        return recent;
                    }
                }

                s_recent[s_nextRecent] = new WeakReference<DeclarationVersion>(version);
                s_nextRecent = (s_nextRecent + 1) % s_recent.Length;
                return version;
            }
        }

        private static object TreeVersion(SyntaxTree tree, CancellationToken cancellationToken)
        {
            if (s_treeVersions.TryGetValue(tree, out object? version))
            {
                return version;
            }

            cancellationToken.ThrowIfCancellationRequested();
            version = new object();
            if (tree.FilePath.Length > 0
                && s_latestTreeByPath.TryGetValue(tree.FilePath, out var previousReference)
                && previousReference.TryGetTarget(out var previous)
                && s_treeVersions.TryGetValue(previous, out object? previousVersion)
                && tree.Options.Equals(previous.Options)
                && tree.IsEquivalentTo(previous, topLevel: true))
            {
                version = previousVersion;
            }

            if (tree.FilePath.Length > 0)
            {
                if (s_latestTreeByPath.Count > MaxRememberedPaths)
                {
                    s_latestTreeByPath.Clear();
                }

                s_latestTreeByPath[tree.FilePath] = new WeakReference<SyntaxTree>(tree);
            }

            return s_treeVersions.GetValue(tree, _ => version);
        }

        private bool SameAs(DeclarationVersion other)
        {
            if (!_options.Equals(other._options) || _trees.Length != other._trees.Length || _references.Length != other._references.Length)
            {
                return false;
            }

            for (int i = 0; i < _references.Length; i++)
            {
                if (!ReferenceEquals(_references[i], other._references[i]))
                {
                    return false;
                }
            }

            for (int i = 0; i < _trees.Length; i++)
            {
                if (!ReferenceEquals(_trees[i], other._trees[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
