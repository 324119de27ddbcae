using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Retention
{
    /// <summary>One control flow graph (a method body, lambda or local function) with what the rules ask of it:
    /// where each operation sits, which blocks follow which, and what each compiler temporary (flow capture) holds.</summary>
    internal sealed class MethodFlow
    {
        private readonly Dictionary<IOperation, (int Block, int Statement)> _positions = new();
        private readonly Dictionary<CaptureId, List<IOperation>> _captures = new();
        private readonly List<int>[] _successors;

        private MethodFlow(ControlFlowGraph graph)
        {
            Graph = graph;
            _successors = new List<int>[graph.Blocks.Length];
            foreach (var block in graph.Blocks)
            {
                _successors[block.Ordinal] = new List<int>();
                var statements = Statements(block);
                for (int i = 0; i < statements.Count; i++)
                {
                    foreach (var operation in PostOrder(statements[i]))
                    {
                        _positions[operation] = (block.Ordinal, i);
                        if (operation is IFlowCaptureOperation capture)
                        {
                            if (!_captures.TryGetValue(capture.Id, out var values))
                            {
                                _captures[capture.Id] = values = new List<IOperation>();
                            }

                            values.Add(capture.Value);
                        }
                    }
                }
            }

            AddEdges(graph);
        }

        public ControlFlowGraph Graph { get; }

        /// <summary>The graphs of the analyzed member's bodies and of every lambda and local function in them.</summary>
        public static IEnumerable<MethodFlow> ForBlocks(OperationBlockAnalysisContext context)
        {
            // A method's body block hangs under its IMethodBodyOperation; one graph per body, however it is reached.
            var seen = new HashSet<IOperation>();
            foreach (var block in context.OperationBlocks)
            {
                var root = block;
                while (root.Parent is not null)
                {
                    root = root.Parent;
                }

                if (root.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block && seen.Add(root))
                {
                    foreach (var flow in WithNested(context.GetControlFlowGraph(block), context.CancellationToken))
                    {
                        yield return flow;
                    }
                }
            }
        }

        private static IEnumerable<MethodFlow> WithNested(ControlFlowGraph graph, CancellationToken cancellationToken)
        {
            var pending = new Stack<ControlFlowGraph>();
            pending.Push(graph);
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var current = pending.Pop();
                var flow = new MethodFlow(current);
                yield return flow;
                foreach (var localFunction in current.LocalFunctions)
                {
                    pending.Push(current.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken));
                }

                foreach (var operation in flow._positions.Keys)
                {
                    if (operation is IFlowAnonymousFunctionOperation lambda)
                    {
                        pending.Push(current.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken));
                    }
                }
            }
        }

        /// <summary>A block's operations in execution order, its branch value (a returned value, a condition) last.</summary>
        public static IReadOnlyList<IOperation> Statements(BasicBlock block)
        {
            if (block.BranchValue is null)
            {
                return block.Operations;
            }

            var all = new List<IOperation>(block.Operations.Length + 1);
            all.AddRange(block.Operations);
            all.Add(block.BranchValue);
            return all;
        }

        /// <summary>An operation tree children first, roughly the order in which its parts run.</summary>
        public static IEnumerable<IOperation> PostOrder(IOperation root)
        {
            var stack = new Stack<(IOperation Operation, bool ChildrenDone)>();
            stack.Push((root, false));
            while (stack.Count > 0)
            {
                var (operation, childrenDone) = stack.Pop();
                if (childrenDone)
                {
                    yield return operation;
                    continue;
                }

                stack.Push((operation, true));
                var children = new List<IOperation>(operation.ChildOperations);
                for (int i = children.Count - 1; i >= 0; i--)
                {
                    stack.Push((children[i], false));
                }
            }
        }

        /// <summary>Every operation of the graph, block by block, each statement children first.</summary>
        public IEnumerable<IOperation> AllOperations => _positions.Keys;

        public bool TryGetPosition(IOperation operation, out (int Block, int Statement) position) => _positions.TryGetValue(operation, out position);

        public IReadOnlyList<int> Successors(int block) => _successors[block];

        /// <summary>The values a compiler temporary may hold (two for <c>c ? a : b</c>).</summary>
        public IReadOnlyList<IOperation> CapturedValues(CaptureId id) => _captures.TryGetValue(id, out var values) ? values : (IReadOnlyList<IOperation>)ImmutableArray<IOperation>.Empty;

        /// <summary>Whether <paramref name="later"/> can run after <paramref name="earlier"/> has run.</summary>
        public bool CanFollow(IOperation earlier, IOperation later)
        {
            if (!TryGetPosition(earlier, out var from) || !TryGetPosition(later, out var to))
            {
                return false;
            }

            if (from.Block == to.Block && IsAfterInSameBlock(from.Statement, earlier, later, to.Statement))
            {
                return true;
            }

            var seen = new HashSet<int>();
            var pending = new Stack<int>(Successors(from.Block));
            while (pending.Count > 0)
            {
                int block = pending.Pop();
                if (block == to.Block)
                {
                    return true;
                }

                if (seen.Add(block))
                {
                    foreach (int next in Successors(block))
                    {
                        pending.Push(next);
                    }
                }
            }

            return false;
        }

        /// <summary>Whether the block containing <paramref name="operation"/> can run again after it (it is in a loop).</summary>
        public bool IsInCycle(IOperation operation)
        {
            if (!TryGetPosition(operation, out var position))
            {
                return false;
            }

            var seen = new HashSet<int>();
            var pending = new Stack<int>(Successors(position.Block));
            while (pending.Count > 0)
            {
                int block = pending.Pop();
                if (block == position.Block)
                {
                    return true;
                }

                if (seen.Add(block))
                {
                    foreach (int next in Successors(block))
                    {
                        pending.Push(next);
                    }
                }
            }

            return false;
        }

        private bool IsAfterInSameBlock(int fromStatement, IOperation earlier, IOperation later, int toStatement)
        {
            if (fromStatement != toStatement)
            {
                return fromStatement < toStatement;
            }

            var block = Graph.Blocks[_positions[earlier].Block];
            bool seenEarlier = false;
            foreach (var operation in PostOrder(Statements(block)[fromStatement]))
            {
                if (operation == earlier)
                {
                    seenEarlier = true;
                }
                else if (operation == later)
                {
                    return seenEarlier;
                }
            }

            return false;
        }

        private void AddEdges(ControlFlowGraph graph)
        {
            foreach (var block in graph.Blocks)
            {
                AddBranch(block.Ordinal, block.ConditionalSuccessor);
                AddBranch(block.Ordinal, block.FallThroughSuccessor);

                // An exception can leave any block of a try for its catch, filter or finally.
                for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
                {
                    if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion is { } tryAndHandlers)
                    {
                        foreach (var handler in tryAndHandlers.NestedRegions)
                        {
                            if (handler != region)
                            {
                                Add(block.Ordinal, handler.FirstBlockOrdinal);
                            }
                        }
                    }
                }
            }
        }

        private void AddBranch(int from, ControlFlowBranch? branch)
        {
            if (branch is null)
            {
                return;
            }

            // A branch out of a try runs the finally blocks on its way: thread it through them.
            int current = from;
            foreach (var finallyRegion in branch.FinallyRegions)
            {
                Add(current, finallyRegion.FirstBlockOrdinal);
                current = finallyRegion.LastBlockOrdinal;
            }

            if (branch.Destination is { } destination)
            {
                Add(current, destination.Ordinal);
            }
        }

        private void Add(int from, int to)
        {
            if (!_successors[from].Contains(to))
            {
                _successors[from].Add(to);
            }
        }
    }
}
