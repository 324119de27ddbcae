using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Allocations
{
    /// <summary>Questions about the whole operation tree of a member, answered from one walk per tree: asking them by
    /// walking the tree at each site made a method of thousands of statements quadratic.</summary>
    internal static class OperationTree
    {
        private static readonly ConditionalWeakTable<IOperation, Dictionary<ILocalSymbol, List<ILocalReferenceOperation>>> s_localReferences = new();
        private static readonly ConditionalWeakTable<IOperation, Dictionary<ILocalSymbol, List<ILocalReferenceOperation>>>.CreateValueCallback s_indexLocalReferences = IndexLocalReferences;

        private static readonly List<ILocalReferenceOperation> s_none = new();

        /// <summary>The root of the tree that holds <paramref name="operation"/>: the member's body, initializer or attribute.</summary>
        public static IOperation RootOf(IOperation operation)
        {
            while (operation.Parent is not null)
            {
                operation = operation.Parent;
            }

            return operation;
        }

        /// <summary>Every reference to <paramref name="local"/> in the tree that holds <paramref name="operation"/>.</summary>
        public static IReadOnlyList<ILocalReferenceOperation> ReferencesTo(ILocalSymbol local, IOperation operation) =>
            s_localReferences.GetValue(RootOf(operation), s_indexLocalReferences).TryGetValue(local, out var references) ? references : s_none;

        private static Dictionary<ILocalSymbol, List<ILocalReferenceOperation>> IndexLocalReferences(IOperation root)
        {
            var index = new Dictionary<ILocalSymbol, List<ILocalReferenceOperation>>(SymbolEqualityComparer.Default);
            foreach (var operation in root.Descendants())
            {
                if (operation is ILocalReferenceOperation reference)
                {
                    if (!index.TryGetValue(reference.Local, out var references))
                    {
                        index[reference.Local] = references = new List<ILocalReferenceOperation>();
                    }

                    references.Add(reference);
                }
            }

            return index;
        }
    }
}
