using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Retention
{
    /// <summary>Which assignments of a local may still hold at a given operation (classic reaching definitions over
    /// the control flow graph). A definition is the assigned value; when the new value is not visible (an
    /// <c>out</c> argument, <c>x += y</c>) it is the operation that wrote it, which no rule recognizes as anything.</summary>
    internal sealed class ReachingDefinitions
    {
        private readonly MethodFlow _flow;
        private readonly Func<ILocalSymbol, bool> _tracked;
        private readonly State[] _entry;

        private ReachingDefinitions(MethodFlow flow, Func<ILocalSymbol, bool> tracked, State[] entry)
        {
            _flow = flow;
            _tracked = tracked;
            _entry = entry;
        }

        /// <summary>Solves the graph for the locals <paramref name="tracked"/> accepts (fewer locals, less work).</summary>
        public static ReachingDefinitions Compute(MethodFlow flow, Func<ILocalSymbol, bool> tracked, CancellationToken cancellationToken)
        {
            var blocks = flow.Graph.Blocks;
            var entry = new State[blocks.Length];
            for (int i = 0; i < entry.Length; i++)
            {
                entry[i] = State.Empty;
            }

            var pending = new Queue<int>();
            var queued = new HashSet<int>();
            var visited = new HashSet<int>();
            pending.Enqueue(0);
            queued.Add(0);
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int ordinal = pending.Dequeue();
                queued.Remove(ordinal);
                visited.Add(ordinal);
                var state = entry[ordinal];
                foreach (var statement in MethodFlow.Statements(blocks[ordinal]))
                {
                    foreach (var operation in MethodFlow.PostOrder(statement))
                    {
                        state = Apply(state, operation, tracked);
                    }
                }

                foreach (int next in flow.Successors(ordinal))
                {
                    var merged = entry[next].Merge(state);
                    if ((!ReferenceEquals(merged, entry[next]) || !visited.Contains(next)) && queued.Add(next))
                    {
                        pending.Enqueue(next);
                    }

                    entry[next] = merged;
                }
            }

            return new ReachingDefinitions(flow, tracked, entry);
        }

        /// <summary>The definitions of <paramref name="local"/> that may hold just before <paramref name="use"/> runs.</summary>
        public ImmutableHashSet<IOperation> Before(IOperation use, ILocalSymbol local)
        {
            if (!_flow.TryGetPosition(use, out var position))
            {
                return ImmutableHashSet<IOperation>.Empty;
            }

            var state = _entry[position.Block];
            var statements = MethodFlow.Statements(_flow.Graph.Blocks[position.Block]);
            for (int i = 0; i <= position.Statement; i++)
            {
                foreach (var operation in MethodFlow.PostOrder(statements[i]))
                {
                    if (operation == use)
                    {
                        return state.Of(local);
                    }

                    state = Apply(state, operation, _tracked);
                }
            }

            return state.Of(local);
        }

        private static State Apply(State state, IOperation operation, Func<ILocalSymbol, bool> tracked)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when tracked(target.Local):
                    return state.Set(target.Local, assignment.Value);
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation target } when tracked(target.Local):
                    return state.Set(target.Local, operation);
                case ICoalesceAssignmentOperation { Target: ILocalReferenceOperation target } when tracked(target.Local):
                    return state.Set(target.Local, operation);
                case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation target } when tracked(target.Local):
                    return state.Set(target.Local, operation);
                case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument when Unwrap(argument.Value) is ILocalReferenceOperation target && tracked(target.Local):
                    return state.Set(target.Local, operation);
                case IDeconstructionAssignmentOperation deconstruction:
                    foreach (var target in deconstruction.Target.DescendantsAndSelf().OfType<ILocalReferenceOperation>())
                    {
                        if (tracked(target.Local))
                        {
                            state = state.Set(target.Local, operation);
                        }
                    }

                    return state;
                default:
                    return state;
            }
        }

        private static IOperation Unwrap(IOperation operation) => operation is IDeclarationExpressionOperation declaration ? declaration.Expression : operation;

        /// <summary>Definitions per local; immutable so that an unchanged merge is recognized by reference.</summary>
        private sealed class State
        {
            public static readonly State Empty = new(ImmutableDictionary.Create<ILocalSymbol, ImmutableHashSet<IOperation>>(SymbolEqualityComparer.Default));

            private readonly ImmutableDictionary<ILocalSymbol, ImmutableHashSet<IOperation>> _definitions;

            private State(ImmutableDictionary<ILocalSymbol, ImmutableHashSet<IOperation>> definitions) => _definitions = definitions;

            public ImmutableHashSet<IOperation> Of(ILocalSymbol local) => _definitions.TryGetValue(local, out var set) ? set : ImmutableHashSet<IOperation>.Empty;

            public State Set(ILocalSymbol local, IOperation value) => new(_definitions.SetItem(local, ImmutableHashSet.Create(value)));

            /// <summary>This state joined with <paramref name="incoming"/>; this very instance when nothing new arrived.</summary>
            public State Merge(State incoming)
            {
                // A block with one predecessor starts empty and takes that state as it is: copying it entry by entry made
                // long methods quadratic.
                if (incoming._definitions.Count == 0 || ReferenceEquals(incoming, this))
                {
                    return this;
                }

                if (_definitions.Count == 0)
                {
                    return incoming;
                }

                var result = _definitions;
                foreach (var pair in incoming._definitions)
                {
                    var current = Of(pair.Key);
                    if (!pair.Value.IsSubsetOf(current))
                    {
                        result = result.SetItem(pair.Key, current.Union(pair.Value));
                    }
                }

                return result == _definitions ? this : new State(result);
            }
        }
    }
}
