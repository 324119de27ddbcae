using System;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LayoutAudit.Generator
{
    /// <summary>
    /// Identifies what every layout in a compilation depends on: the declarations of all its files, its references and
    /// its options. Two compilations get the same version object when those are the same, e.g. before and after an
    /// edit inside a method body, which no layout can see.
    /// </summary>
    internal sealed class DeclarationVersion
    {
        private static readonly ConditionalWeakTable<Compilation, DeclarationVersion> s_byCompilation = new();
        private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<TreeVersion>> s_treeVersions = new();

        /// <summary>The versions last handed out (a few, for the projects of one IDE session), so that equal versions are
        /// one object and compare by reference. Weak: a version lives only as long as a compilation or a cached model
        /// uses it (it holds the compilation's references).</summary>
        private static readonly WeakReference<DeclarationVersion>?[] s_recent = new WeakReference<DeclarationVersion>?[8];
        private static int s_nextRecent;

        private readonly ImmutableArray<MetadataReference> _references;
        private readonly CompilationOptions _options;
        private readonly TreeVersion[] _trees;

        private DeclarationVersion(Compilation compilation, CancellationToken cancellationToken)
        {
            _references = compilation.References.ToImmutableArray();
            _options = compilation.Options;
            var trees = new System.Collections.Generic.List<TreeVersion>();
            foreach (var tree in compilation.SyntaxTrees)
            {
                trees.Add(s_treeVersions.GetValue(tree, t => new StrongBox<TreeVersion>(TreeVersion.Of(t, cancellationToken))).Value);
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
                if (!_trees[i].Equals(other._trees[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// A fingerprint of every token of a file that can reach a type's layout: all of them except the bodies of methods,
    /// constructors, destructors and operators. Bodies of types with a primary constructor count too (a parameter a
    /// body uses becomes a field), and so do property accessors (the <c>field</c> keyword makes a backing field).
    /// Two independent 64-bit hashes over the tokens' kinds and text, with the language version.
    /// </summary>
    internal readonly record struct TreeVersion(ulong First, ulong Second, int TokenCount, int LanguageVersion)
    {
        public static TreeVersion Of(SyntaxTree tree, CancellationToken cancellationToken)
        {
            ulong first = 14695981039346656037UL;
            ulong second = 0;
            int count = 0;
            foreach (var token in tree.GetRoot(cancellationToken).DescendantTokens(node => !IsInvisibleBody(node)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                Mix(ref first, ref second, token.RawKind);
                foreach (char c in token.Text)
                {
                    Mix(ref first, ref second, c);
                }

                count++;
            }

            int language = tree.Options is CSharpParseOptions options ? (int)options.LanguageVersion : 0;
            return new TreeVersion(first, second, count, language);
        }

        private static void Mix(ref ulong first, ref ulong second, int value)
        {
            // FNV-1a and a multiplicative hash: independent enough that both colliding is out of reach.
            first = (first ^ (uint)value) * 1099511628211UL;
            second = (second + (uint)value + 1) * 0x9E3779B97F4A7C15UL;
        }

        private static bool IsInvisibleBody(SyntaxNode node) =>
            node is BlockSyntax or ArrowExpressionClauseSyntax
            && node.Parent is BaseMethodDeclarationSyntax member
            && member.Parent is not TypeDeclarationSyntax { ParameterList: not null };
    }
}
