using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LayoutAudit.Generator
{
    /// <summary>
    /// What the layouts of a compilation depend on, split so that an edit to one type's members does not invalidate
    /// the others. <see cref="Binding"/> covers everything that decides what a name binds to and every constant: the
    /// references, the options and, in each file, every token outside the members of class, struct, record and
    /// interface declarations (usings, namespaces, type headers and base lists, nested types' headers, enums,
    /// delegates, const fields). Each such type declaration (one part of a partial type) has its own fingerprint of
    /// its attributes and its other members (<see cref="TreeDeclarations.Own"/>). A type's layout is a function of the
    /// binding version and the own fingerprints of the source types it depends on. <see cref="Full"/> covers every
    /// token either way (the bodies of methods excepted), for the rare models that depend on more.
    /// </summary>
    internal sealed class DeclarationVersion
    {
        private static readonly ConditionalWeakTable<Compilation, DeclarationVersion> s_byCompilation = new();
        private static readonly ConditionalWeakTable<SyntaxTree, TreeDeclarations> s_byTree = new();

        private readonly Dictionary<SyntaxTree, int> _treeIndex;

        private DeclarationVersion(Compilation compilation, CancellationToken cancellationToken)
        {
            var trees = new List<TreeDeclarations>();
            _treeIndex = new Dictionary<SyntaxTree, int>();
            foreach (var tree in compilation.SyntaxTrees)
            {
                _treeIndex[tree] = trees.Count;
                trees.Add(s_byTree.GetValue(tree, t => TreeDeclarations.Of(t, cancellationToken)));
            }

            Trees = trees.ToArray();
            var references = compilation.References.ToImmutableArray();
            Binding = VersionKey.Canonical(new VersionKey(false, references, compilation.Options, Trees));
            Full = VersionKey.Canonical(new VersionKey(true, references, compilation.Options, Trees));
        }

        /// <summary>The files' declarations, in the compilation's order.</summary>
        public TreeDeclarations[] Trees { get; }

        /// <summary>Equal (the same object) for compilations in which every name binds alike and every constant has the
        /// same value.</summary>
        public VersionKey Binding { get; }

        /// <summary>Equal (the same object) for compilations whose declarations are the same token for token.</summary>
        public VersionKey Full { get; }

        public static DeclarationVersion For(Compilation compilation, CancellationToken cancellationToken)
        {
            if (s_byCompilation.TryGetValue(compilation, out var known))
            {
                return known;
            }

            var version = new DeclarationVersion(compilation, cancellationToken);
            return s_byCompilation.GetValue(compilation, _ => version);
        }

        /// <summary>Where a type declaration is: its file's index and its ordinal among the file's type
        /// declarations (both fixed while <see cref="Binding"/> is).</summary>
        public bool TryLocate(SyntaxTree tree, int spanStart, out int treeIndex, out int part)
        {
            part = -1;
            return _treeIndex.TryGetValue(tree, out treeIndex) && Trees[treeIndex].TryGetPart(spanStart, out part);
        }
    }

    /// <summary>An identity of a compilation's declarations; equal versions are one object, so that caches compare
    /// them by reference and key weak tables on them.</summary>
    internal sealed class VersionKey
    {
        /// <summary>The versions last handed out (a few, for the projects of one IDE session). Weak: a version lives
        /// only as long as a compilation or a cached model uses it (it holds the compilation's references).</summary>
        private static readonly WeakReference<VersionKey>?[] s_recent = new WeakReference<VersionKey>?[16];
        private static int s_nextRecent;

        private readonly bool _full;
        private readonly ImmutableArray<MetadataReference> _references;
        private readonly CompilationOptions _options;
        private readonly TreeDeclarations[] _trees;

        public VersionKey(bool full, ImmutableArray<MetadataReference> references, CompilationOptions options, TreeDeclarations[] trees)
        {
            _full = full;
            _references = references;
            _options = options;
            _trees = trees;
        }

        public static VersionKey Canonical(VersionKey version)
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

                s_recent[s_nextRecent] = new WeakReference<VersionKey>(version);
                s_nextRecent = (s_nextRecent + 1) % s_recent.Length;
                return version;
            }
        }

        private bool SameAs(VersionKey other)
        {
            if (_full != other._full || !_options.Equals(other._options) || _trees.Length != other._trees.Length || _references.Length != other._references.Length)
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
                var mine = _trees[i];
                var theirs = other._trees[i];
                if (mine.LanguageVersion != theirs.LanguageVersion || (_full ? mine.All != theirs.All : mine.Binding != theirs.Binding))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Two independent 64-bit hashes and a count of the tokens hashed: both hashes colliding is out of
    /// reach.</summary>
    internal readonly record struct Fingerprint(ulong First, ulong Second, int Count);

    /// <summary>
    /// The fingerprints of one file: <see cref="Binding"/> over the tokens outside the members of class, struct,
    /// record and interface declarations, <see cref="Own"/> per such declaration over its attributes and members
    /// (nested types, const fields and, in an enum, everything count for <see cref="Binding"/>), and <see cref="All"/>
    /// over both. The bodies of methods, constructors, destructors and operators are left out, except in a type with
    /// a primary constructor (a parameter a body uses becomes a field); property accessors always count (the
    /// <c>field</c> keyword makes a backing field).
    /// </summary>
    internal sealed class TreeDeclarations
    {
        private readonly Dictionary<int, int> _partByStart;

        private TreeDeclarations(Fingerprint binding, Fingerprint all, int languageVersion, Dictionary<int, int> partByStart, Fingerprint[] own, bool[] ownUsesNameof, bool bindingUsesNameof)
        {
            Binding = binding;
            All = all;
            LanguageVersion = languageVersion;
            _partByStart = partByStart;
            Own = own;
            OwnUsesNameof = ownUsesNameof;
            BindingUsesNameof = bindingUsesNameof;
        }

        public Fingerprint Binding { get; }

        public Fingerprint All { get; }

        public int LanguageVersion { get; }

        /// <summary>Per type declaration, in document order: the fingerprint of its attributes and members.</summary>
        public Fingerprint[] Own { get; }

        /// <summary>Per type declaration: whether its attributes or members use <c>nameof</c>, whose value depends on
        /// members of other types.</summary>
        public bool[] OwnUsesNameof { get; }

        /// <summary>Whether <c>nameof</c> occurs outside the members (e.g. in a constant).</summary>
        public bool BindingUsesNameof { get; }

        public bool TryGetPart(int spanStart, out int part) => _partByStart.TryGetValue(spanStart, out part);

        public static TreeDeclarations Of(SyntaxTree tree, CancellationToken cancellationToken)
        {
            var binding = new Hasher();
            var all = new Hasher();
            var own = new List<Hasher>();
            var ownUsesNameof = new List<bool>();
            bool bindingUsesNameof = false;
            var partByStart = new Dictionary<int, int>();

            // An explicit stack: field initializers can nest deeper than the thread's stack allows recursion.
            var stack = new Stack<(SyntaxNodeOrToken Item, int Owner)>();
            stack.Push((tree.GetRoot(cancellationToken), -1));
            var children = new List<(SyntaxNodeOrToken, int)>();
            while (stack.Count > 0)
            {
                var (item, owner) = stack.Pop();
                if (item.IsToken)
                {
                    var token = item.AsToken();
                    all.Add(token);
                    if (owner < 0)
                    {
                        binding.Add(token);
                    }
                    else
                    {
                        own[owner].Add(token);
                    }

                    if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == "nameof")
                    {
                        if (owner < 0)
                        {
                            bindingUsesNameof = true;
                        }
                        else
                        {
                            ownUsesNameof[owner] = true;
                        }
                    }

                    continue;
                }

                var node = item.AsNode()!;
                if (IsInvisibleBody(node))
                {
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                children.Clear();
                if (node is TypeDeclarationSyntax)
                {
                    int part = own.Count;
                    own.Add(new Hasher());
                    ownUsesNameof.Add(false);
                    partByStart[node.SpanStart] = part;
                    foreach (var child in node.ChildNodesAndTokens())
                    {
                        children.Add((child, OwnsIt(child) ? part : -1));
                    }
                }
                else
                {
                    foreach (var child in node.ChildNodesAndTokens())
                    {
                        children.Add((child, owner));
                    }
                }

                for (int i = children.Count - 1; i >= 0; i--)
                {
                    stack.Push(children[i]);
                }
            }

            var ownFingerprints = new Fingerprint[own.Count];
            for (int i = 0; i < own.Count; i++)
            {
                ownFingerprints[i] = own[i].ToFingerprint();
            }

            int language = tree.Options is CSharpParseOptions options ? (int)options.LanguageVersion : 0;
            return new TreeDeclarations(binding.ToFingerprint(), all.ToFingerprint(), language, partByStart, ownFingerprints, ownUsesNameof.ToArray(), bindingUsesNameof);
        }

        /// <summary>Whether a child of a type declaration belongs to that type alone: its attribute lists and members,
        /// but not nested types (their headers decide what names bind to) nor constants (other types read them).</summary>
        private static bool OwnsIt(SyntaxNodeOrToken child) => child.AsNode() switch
        {
            AttributeListSyntax => true,
            BaseTypeDeclarationSyntax or DelegateDeclarationSyntax => false,
            FieldDeclarationSyntax field => !field.Modifiers.Any(SyntaxKind.ConstKeyword),
            MemberDeclarationSyntax => true,
            _ => false,
        };

        private static bool IsInvisibleBody(SyntaxNode node) =>
            node is BlockSyntax or ArrowExpressionClauseSyntax
            && node.Parent is BaseMethodDeclarationSyntax member
            && member.Parent is not TypeDeclarationSyntax { ParameterList: not null };

        private sealed class Hasher
        {
            private ulong _first = 14695981039346656037UL;
            private ulong _second;
            private int _count;

            public void Add(SyntaxToken token)
            {
                Mix(token.RawKind);
                foreach (char c in token.Text)
                {
                    Mix(c);
                }

                _count++;
            }

            public Fingerprint ToFingerprint() => new(_first, _second, _count);

            private void Mix(int value)
            {
                // FNV-1a and a multiplicative hash: independent enough that both colliding is out of reach.
                _first = (_first ^ (uint)value) * 1099511628211UL;
                _second = (_second + (uint)value + 1) * 0x9E3779B97F4A7C15UL;
            }
        }
    }
}
