using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Retention
{
    /// <summary>LA2002: a <c>Span&lt;T&gt;</c> from <c>CollectionsMarshal.AsSpan(list)</c>, or a <c>ref</c> from
    /// <c>CollectionsMarshal.GetValueRefOrAddDefault/GetValueRefOrNullRef(dictionary, ...)</c>, used after something that
    /// may have resized that collection. The collection then works on a new array; the span or ref still points into
    /// the old one: writes are lost, reads are stale, and the old array stays alive (Go's stale pointer after
    /// <c>append</c> reallocates).</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class StaleSpanAnalyzer : DiagnosticAnalyzer
    {
        public const string Id = "LA2002";

        public static readonly DiagnosticDescriptor Rule = new(
            Id,
            "Span or ref used after its collection may have been resized",
            "'{0}' points into the storage of '{1}', which '{2}' may have replaced: take the span or ref again after changing the collection",
            RuleHelp.RetentionCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "CollectionsMarshal hands out spans and refs into a List<T>'s or Dictionary<TKey, TValue>'s internal array. Adding, inserting, removing, clearing or changing the capacity may replace that array; a span or ref taken before then reads and writes the discarded one.",
            helpLinkUri: RuleHelp.LinkFor(Id));

        private static readonly ImmutableHashSet<string> s_resizingMethods = ImmutableHashSet.Create(
            "Add", "AddRange", "Insert", "InsertRange", "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "Clear",
            "EnsureCapacity", "TrimExcess", "TryAdd");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (start.Compilation.GetTypeByMetadataName("System.Runtime.InteropServices.CollectionsMarshal") is not { } collectionsMarshal)
                {
                    return;
                }

                var readOnlyParameterTypes = TypeSets.Resolve(
                    start.Compilation,
                    "System.Collections.IEnumerable",
                    "System.Collections.Generic.IEnumerable`1",
                    "System.Collections.Generic.IReadOnlyCollection`1",
                    "System.Collections.Generic.IReadOnlyList`1",
                    "System.Collections.Generic.IReadOnlyDictionary`2");
                var dictionary = start.Compilation.GetTypeByMetadataName("System.Collections.Generic.Dictionary`2");
                var types = new Types(collectionsMarshal, readOnlyParameterTypes, dictionary);
                start.RegisterOperationBlockAction(blockContext => AnalyzeBlocks(blockContext, types));
            });
        }

        private sealed record Types(INamedTypeSymbol CollectionsMarshal, ImmutableHashSet<ISymbol> ReadOnlyParameterTypes, INamedTypeSymbol? Dictionary)
        {
            public bool IsMarshal(IMethodSymbol method, string name) =>
                method.Name == name && SymbolEqualityComparer.Default.Equals(method.ContainingType, CollectionsMarshal);
        }

        private static void AnalyzeBlocks(OperationBlockAnalysisContext context, Types types)
        {
            // Only methods that take a span or ref from CollectionsMarshal get a control flow graph.
            if (!context.OperationBlocks.Any(root => root.Descendants().Any(operation => operation is IInvocationOperation invocation && IsViewSource(invocation, types))))
            {
                return;
            }

            foreach (var flow in MethodFlow.ForBlocks(context))
            {
                new MethodAnalysis(flow, types, context).Run();
            }
        }

        private static bool IsViewSource(IInvocationOperation invocation, Types types) =>
            types.IsMarshal(invocation.TargetMethod, "AsSpan")
            || types.IsMarshal(invocation.TargetMethod, "GetValueRefOrAddDefault")
            || types.IsMarshal(invocation.TargetMethod, "GetValueRefOrNullRef");

        private sealed class MethodAnalysis
        {
            private readonly MethodFlow _flow;
            private readonly Types _types;
            private readonly OperationBlockAnalysisContext _context;

            // Each span or ref (a local, or a compiler temporary such as a foreach's span) and the collections it may point into.
            private readonly Dictionary<object, HashSet<ISymbol>> _views = new(KeyComparer.Instance);

            public MethodAnalysis(MethodFlow flow, Types types, OperationBlockAnalysisContext context)
            {
                _flow = flow;
                _types = types;
                _context = context;
            }

            public void Run()
            {
                FindViews();
                if (_views.Count == 0)
                {
                    return;
                }

                var blocks = _flow.Graph.Blocks;
                var entry = new State?[blocks.Length];
                entry[0] = State.Empty;
                var pending = new Queue<int>();
                pending.Enqueue(0);
                while (pending.Count > 0)
                {
                    _context.CancellationToken.ThrowIfCancellationRequested();
                    int ordinal = pending.Dequeue();
                    var exit = Transfer(blocks[ordinal], entry[ordinal]!, report: null);
                    foreach (int next in _flow.Successors(ordinal))
                    {
                        var merged = entry[next] is { } known ? known.Merge(exit) : exit;
                        if (!ReferenceEquals(merged, entry[next]))
                        {
                            entry[next] = merged;
                            pending.Enqueue(next);
                        }
                    }
                }

                var reported = new HashSet<(object, IOperation)>();
                var findings = new List<(IOperation Use, object View, IOperation Mutation)>();
                foreach (var block in blocks)
                {
                    if (entry[block.Ordinal] is { } state)
                    {
                        Transfer(block, state, (use, view, mutation) => findings.Add((use, view, mutation)));
                    }
                }

                // One report per span and change: the first use after it.
                foreach (var (use, view, mutation) in findings.OrderBy(f => f.Use.Syntax.SpanStart))
                {
                    if (reported.Add((view, mutation)))
                    {
                        string collection = Storage.Of(MutatedArgument(mutation))?.Name ?? _views[view].First().Name;
                        _context.ReportDiagnostic(Diagnostic.Create(Rule, use.Syntax.GetLocation(), NameOf(view, use), collection, CodeText.Of(mutation)));
                    }
                }
            }

            private void FindViews()
            {
                bool changed = true;
                for (int round = 0; changed && round < 4; round++)
                {
                    changed = false;
                    foreach (var operation in _flow.AllOperations)
                    {
                        switch (operation)
                        {
                            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                                when target.Local.Type.IsRefLikeType || assignment.IsRef || target.Local.RefKind != RefKind.None:
                                changed |= AddView(target.Local, assignment.Value);
                                break;
                            case IFlowCaptureOperation capture when capture.Value.Type?.IsRefLikeType == true:
                                changed |= AddView(capture.Id, capture.Value);
                                break;
                        }
                    }
                }
            }

            private bool AddView(object key, IOperation value)
            {
                var collections = Origin(value, 0);
                if (collections.Count == 0)
                {
                    return false;
                }

                if (!_views.TryGetValue(key, out var known))
                {
                    _views[key] = known = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                }

                int before = known.Count;
                known.UnionWith(collections);
                return known.Count != before;
            }

            /// <summary>The collections whose storage <paramref name="operation"/> (a span, a ref, an enumerator) points into.</summary>
            private IReadOnlyCollection<ISymbol> Origin(IOperation operation, int depth)
            {
                if (depth > 8)
                {
                    return ImmutableArray<ISymbol>.Empty;
                }

                switch (operation)
                {
                    case IConversionOperation conversion:
                        return Origin(conversion.Operand, depth + 1);
                    case IInvocationOperation invocation when IsViewSource(invocation, _types):
                        return invocation.Arguments.Length > 0 && Storage.Of(invocation.Arguments[0].Value) is { } collection
                            ? new[] { collection }
                            : ImmutableArray<ISymbol>.Empty;
                    case IInvocationOperation { Instance: { } instance }:
                        return Origin(instance, depth + 1); // span.Slice(...), span.GetEnumerator()
                    case IInvocationOperation invocation when invocation.TargetMethod.ReturnsByRef || invocation.Type?.IsRefLikeType == true:
                        return invocation.Arguments.Length > 0 ? Origin(invocation.Arguments[0].Value, depth + 1) : ImmutableArray<ISymbol>.Empty;
                    case IPropertyReferenceOperation { Instance: { } instance } property when property.Property.ReturnsByRef || property.Type?.IsRefLikeType == true:
                        return Origin(instance, depth + 1); // span[i], enumerator.Current
                    case IImplicitIndexerReferenceOperation indexer:
                        return Origin(indexer.Instance, depth + 1);
                    case ILocalReferenceOperation local:
                        return _views.TryGetValue(local.Local, out var fromLocal) ? fromLocal : ImmutableArray<ISymbol>.Empty;
                    case IFlowCaptureReferenceOperation capture:
                        return _views.TryGetValue(capture.Id, out var fromCapture) ? fromCapture : ImmutableArray<ISymbol>.Empty;
                    default:
                        return ImmutableArray<ISymbol>.Empty;
                }
            }

            private delegate void Report(IOperation use, object view, IOperation mutation);

            private State Transfer(BasicBlock block, State state, Report? report)
            {
                foreach (var statement in MethodFlow.Statements(block))
                {
                    foreach (var operation in MethodFlow.PostOrder(statement))
                    {
                        state = Apply(state, operation, report);
                    }
                }

                return state;
            }

            private State Apply(State state, IOperation operation, Report? report)
            {
                switch (operation)
                {
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when _views.ContainsKey(target.Local) && Redefines(assignment):
                        return state.Refresh(target.Local);
                    case IFlowCaptureOperation capture when _views.ContainsKey(capture.Id):
                        return state.Refresh(capture.Id);
                    case ILocalReferenceOperation local when _views.ContainsKey(local.Local) && IsUse(local):
                        ReportIfStale(state, local.Local, operation, report);
                        return state;
                    case IFlowCaptureReferenceOperation capture when _views.ContainsKey(capture.Id) && IsUse(capture):
                        ReportIfStale(state, capture.Id, operation, report);
                        return state;
                }

                if (MutatedCollection(operation) is { } collection)
                {
                    foreach (var view in _views)
                    {
                        if (view.Value.Contains(collection))
                        {
                            state = state.MarkStale(view.Key, operation);
                        }
                    }
                }

                return state;
            }

            private static void ReportIfStale(State state, object view, IOperation use, Report? report)
            {
                if (report is not null && state.MutationOf(view) is { } mutation)
                {
                    report(use, view, mutation);
                }
            }

            /// <summary>A read or write through the span or ref; its Length is copied into the span itself and stays true.</summary>
            private static bool IsUse(IOperation reference) =>
                !(reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference && Redefines(assignment))
                && reference.Parent is not IPropertyReferenceOperation { Property.Name: "Length" or "IsEmpty" };

            /// <summary><c>span = ...</c> and <c>slot = ref ...</c> point the local elsewhere; <c>slot = 5</c> writes through a ref local.</summary>
            private static bool Redefines(ISimpleAssignmentOperation assignment) =>
                assignment.IsRef || assignment.Target is not ILocalReferenceOperation { Local.RefKind: not RefKind.None };

            /// <summary>The collection <paramref name="operation"/> may resize, if any.</summary>
            private ISymbol? MutatedCollection(IOperation operation)
            {
                switch (operation)
                {
                    case IInvocationOperation { Instance: { } instance } invocation when s_resizingMethods.Contains(invocation.TargetMethod.Name):
                        return Storage.Of(instance);
                    case IInvocationOperation invocation when _types.IsMarshal(invocation.TargetMethod, "GetValueRefOrAddDefault") || _types.IsMarshal(invocation.TargetMethod, "SetCount"):
                        return invocation.Arguments.Length > 0 ? Storage.Of(invocation.Arguments[0].Value) : null;
                    case IAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Capacity", Instance: { } instance } }:
                        return Storage.Of(instance);
                    case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } indexer } when IsDictionary(indexer.Property.ContainingType):
                        return Storage.Of(instance); // dictionary[key] = value may add
                    case IArgumentOperation argument when MayChangeArgument(argument):
                        return Storage.Of(argument.Value);
                    default:
                        return null;
                }
            }

            private static IOperation? MutatedArgument(IOperation mutation) => mutation switch
            {
                IInvocationOperation { Instance: { } instance } => instance,
                IInvocationOperation invocation when invocation.Arguments.Length > 0 => invocation.Arguments[0].Value,
                IAssignmentOperation { Target: IPropertyReferenceOperation { Instance: { } instance } } => instance,
                IArgumentOperation argument => argument.Value,
                _ => null,
            };

            /// <summary>Passing the collection to another method may change it, unless the parameter only reads.</summary>
            private bool MayChangeArgument(IArgumentOperation argument)
            {
                if (argument.Parameter is not { } parameter || Storage.Of(argument.Value) is null)
                {
                    return false;
                }

                if (argument.Parent is IInvocationOperation invocation && (IsViewSource(invocation, _types) || _types.IsMarshal(invocation.TargetMethod, "SetCount")))
                {
                    return false; // taking another view is not a change; SetCount is reported as the invocation
                }

                return !_types.ReadOnlyParameterTypes.Contains(parameter.Type.OriginalDefinition);
            }

            private bool IsDictionary(INamedTypeSymbol type)
            {
                for (var current = type; current is not null; current = current.BaseType)
                {
                    if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, _types.Dictionary))
                    {
                        return true;
                    }
                }

                return false;
            }

            private string NameOf(object view, IOperation use) => view is ILocalSymbol local ? local.Name : CodeText.Of(use);
        }

        /// <summary>For each span or ref, the change after which it may be stale (absent: fresh). Immutable, so that an
        /// unchanged merge is recognized by reference.</summary>
        private sealed class State
        {
            public static readonly State Empty = new(ImmutableDictionary.Create<object, IOperation>(KeyComparer.Instance));

            private readonly ImmutableDictionary<object, IOperation> _staleAfter;

            private State(ImmutableDictionary<object, IOperation> staleAfter) => _staleAfter = staleAfter;

            public IOperation? MutationOf(object view) => _staleAfter.TryGetValue(view, out var mutation) ? mutation : null;

            public State Refresh(object view) => _staleAfter.ContainsKey(view) ? new State(_staleAfter.Remove(view)) : this;

            public State MarkStale(object view, IOperation mutation) => _staleAfter.ContainsKey(view) ? this : new State(_staleAfter.Add(view, mutation));

            public State Merge(State incoming)
            {
                // Nothing new, or nothing yet: the answer is one of the two as it is (copying entry by entry made long
                // methods quadratic).
                if (incoming._staleAfter.Count == 0 || ReferenceEquals(incoming, this))
                {
                    return this;
                }

                if (_staleAfter.Count == 0)
                {
                    return incoming;
                }

                var result = _staleAfter;
                foreach (var pair in incoming._staleAfter)
                {
                    if (!result.ContainsKey(pair.Key))
                    {
                        result = result.Add(pair.Key, pair.Value);
                    }
                }

                return result == _staleAfter ? this : new State(result);
            }
        }

        /// <summary>Locals compare as symbols, compiler temporaries by their id.</summary>
        private sealed class KeyComparer : IEqualityComparer<object>
        {
            public static readonly KeyComparer Instance = new();

            public new bool Equals(object? x, object? y) => x is ISymbol a && y is ISymbol b ? SymbolEqualityComparer.Default.Equals(a, b) : object.Equals(x, y);

            public int GetHashCode(object obj) => obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
        }
    }
}
