using System.Collections.Generic;
using System.Threading;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Generator
{
    /// <summary>
    /// The source type declarations a type's layout is computed from, beyond what binds names
    /// (<see cref="DeclarationVersion.Binding"/>): every part of the type itself, of the types that contain it (its
    /// attributes' arguments are read in their scope), of its base classes, and of every value type it holds,
    /// transitively, through type arguments too. Referenced types count only through the references' identity, which
    /// the binding version covers; reference-typed fields are a pointer whatever the class declares.
    /// </summary>
    internal static class DependencyWalk
    {
        /// <summary>The declarations with their fingerprints now, or null when the layout may depend on something the
        /// fingerprints do not cover (a <c>nameof</c>, a type from outside the compilation's files).</summary>
        public static Dependency[]? Of(INamedTypeSymbol type, DeclarationVersion version, CancellationToken cancellationToken)
        {
            foreach (var tree in version.Trees)
            {
                if (tree.BindingUsesNameof)
                {
                    return null;
                }
            }

            var walk = new Walk(version, cancellationToken);
            walk.Visit(type, holdsFields: true, depth: 0);
            return walk.Failed ? null : walk.Dependencies.ToArray();
        }

        private sealed class Walk
        {
            /// <summary>Deeper than the engine lays structs out (a generic that expands forever, such as
            /// <c>Exp&lt;Exp&lt;T&gt;&gt;</c>, is a new type at every level): the walk gives up instead of overflowing the stack.</summary>
            private const int MaxDepth = 600;

            private readonly DeclarationVersion _version;
            private readonly CancellationToken _cancellationToken;
            /// <summary>The types visited, and whether for their fields.</summary>
            private readonly Dictionary<ITypeSymbol, bool> _visited = new(SymbolEqualityComparer.Default);
            private readonly HashSet<INamedTypeSymbol> _declared = new(SymbolEqualityComparer.Default);

            public Walk(DeclarationVersion version, CancellationToken cancellationToken)
            {
                _version = version;
                _cancellationToken = cancellationToken;
            }

            public List<Dependency> Dependencies { get; } = new();

            public bool Failed { get; private set; }

            /// <param name="holdsFields">Whether the type's fields are part of the layout (the audited type, a value type
            /// held inline, a base class), rather than only its declaration's scope (a containing type).</param>
            public void Visit(ITypeSymbol type, bool holdsFields, int depth)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (depth > MaxDepth)
                {
                    Failed = true;
                    return;
                }

                if (Failed || type is not INamedTypeSymbol named || named.TypeKind == TypeKind.Enum
                    || (_visited.TryGetValue(named, out bool forFields) && (forFields || !holdsFields)))
                {
                    // Arrays, pointers and type parameters are fixed-size; an enum's underlying type is in its header.
                    return;
                }

                _visited[named] = holdsFields;

                Declare(named.OriginalDefinition);
                for (var container = named.ContainingType; container is not null; container = container.ContainingType)
                {
                    Visit(container, holdsFields: false, depth + 1);
                }

                if (named.BaseType is { SpecialType: not SpecialType.System_Object } baseType && named.TypeKind == TypeKind.Class)
                {
                    Visit(baseType, holdsFields: true, depth + 1);
                }

                if (named.IsValueType)
                {
                    // A metadata struct's fields can hold its type arguments (Nullable<T>, ValueTuple<...>).
                    foreach (var argument in TypeNames.AllTypeArguments(named))
                    {
                        if (argument.IsValueType)
                        {
                            Visit(argument, holdsFields: true, depth + 1);
                        }
                    }
                }

                if (!holdsFields || !IsInSource(named))
                {
                    return;
                }

                foreach (var member in named.GetMembers())
                {
                    if (member is IFieldSymbol { IsStatic: false, RefKind: RefKind.None } field && field.Type.IsValueType)
                    {
                        Visit(field.Type, holdsFields: true, depth + 1);
                    }
                }
            }

            private void Declare(INamedTypeSymbol definition)
            {
                if (!IsInSource(definition) || !_declared.Add(definition))
                {
                    return;
                }

                foreach (var reference in definition.DeclaringSyntaxReferences)
                {
                    if (!_version.TryLocate(reference.SyntaxTree, reference.Span.Start, out int tree, out int part)
                        || _version.Trees[tree].OwnUsesNameof[part])
                    {
                        // A declaration in another compilation's files, or a nameof whose value other members decide.
                        Failed = true;
                        return;
                    }

                    Dependencies.Add(new Dependency(tree, part, _version.Trees[tree].Own[part]));
                }
            }

            private static bool IsInSource(INamedTypeSymbol type)
            {
                foreach (var location in type.OriginalDefinition.Locations)
                {
                    if (location.IsInSource)
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }
}
