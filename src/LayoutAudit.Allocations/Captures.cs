using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Allocations
{
    /// <summary>What each lambda and local function of a member captures, and which of them the compiler must give a
    /// heap closure: lambdas, and local functions that are converted to delegates or used from a lambda (a local
    /// function only called directly gets its captured variables in a struct on the stack).</summary>
    internal sealed class Captures
    {
        private readonly Dictionary<IOperation, HashSet<ISymbol>> _captured = new();
        private readonly Dictionary<IMethodSymbol, ILocalFunctionOperation> _localFunctions = new(SymbolEqualityComparer.Default);
        private readonly HashSet<IOperation> _capturesThis = new();
        private readonly Dictionary<IOperation, List<ILocalFunctionOperation>> _localFunctionsUsed = new();

        /// <summary>One analysis per operation tree, shared by LA1002 and LA1003 and by every function of the tree;
        /// weak, so an entry lives only as long as the compiler keeps the tree.</summary>
        private static readonly ConditionalWeakTable<IOperation, Captures> s_byRoot = new();
        private static readonly ConditionalWeakTable<IOperation, Captures>.CreateValueCallback s_analyze = Analyze;

        private Captures()
        {
        }

        /// <summary>The analysis of the operation tree that holds <paramref name="operation"/>.</summary>
        public static Captures Of(IOperation operation, out IOperation root)
        {
            root = OperationTree.RootOf(operation);
            return s_byRoot.GetValue(root, s_analyze);
        }

        /// <summary>The lambdas, anonymous methods and local functions of the member, outermost first.</summary>
        public List<IOperation> Functions { get; } = new();

        /// <summary>The functions whose captured variables live in a heap-allocated display class.</summary>
        public HashSet<IOperation> OnHeap { get; } = new();

        /// <summary>The local functions converted to delegates somewhere in the member.</summary>
        public HashSet<IOperation> ConvertedToDelegate { get; } = new();

        public static Captures Analyze(IOperation root)
        {
            var captures = new Captures();
            foreach (var operation in root.DescendantsAndSelf())
            {
                if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    captures.Functions.Add(operation);
                    if (operation is ILocalFunctionOperation { Symbol: { } symbol } local)
                    {
                        captures._localFunctions[symbol] = local;
                    }
                }
            }

            if (captures.Functions.Count == 0)
            {
                return captures;
            }

            foreach (var function in captures.Functions)
            {
                captures._captured[function] = captures.DirectCaptures(function);
            }

            // Without local functions there are no calls to follow: the walks for them are skipped.
            if (captures._localFunctions.Count > 0)
            {
                foreach (var function in captures.Functions)
                {
                    captures._localFunctionsUsed[function] = captures.FindLocalFunctionsUsedIn(function);
                }

                captures.AddCapturesOfCalledLocalFunctions();
            }

            captures.FindHeapFunctions(root);
            return captures;
        }

        /// <summary>The locals and parameters a function captures (declared outside it, in the same member).</summary>
        public IReadOnlyCollection<ISymbol> Of(IOperation function) =>
            _captured.TryGetValue(function, out var set) ? set : (IReadOnlyCollection<ISymbol>)System.Array.Empty<ISymbol>();

        /// <summary>Whether the function uses the containing instance ('this', its members, or a primary constructor's parameter).</summary>
        public bool CapturesThis(IOperation function) => _capturesThis.Contains(function);

        /// <summary>Whether the function captures anything at all: only then does converting it to a delegate allocate.</summary>
        public bool CapturesAnything(IOperation function) => CapturesThis(function) || Of(function).Count > 0;

        public static IMethodSymbol? SymbolOf(IOperation function) => function switch
        {
            IAnonymousFunctionOperation lambda => lambda.Symbol,
            ILocalFunctionOperation local => local.Symbol,
            _ => null,
        };

        private HashSet<ISymbol> DirectCaptures(IOperation function)
        {
            var captured = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in function.Descendants())
            {
                ISymbol? symbol = operation switch
                {
                    ILocalReferenceOperation local => local.Local,
                    IParameterReferenceOperation parameter => parameter.Parameter,
                    _ => null,
                };
                if (operation is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }
                    || symbol is IParameterSymbol { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } } && !DeclaredInside(symbol, function) && !InSameMember(symbol, function))
                {
                    _capturesThis.Add(function);
                    continue;
                }

                if (symbol is not null && !DeclaredInside(symbol, function))
                {
                    captured.Add(symbol);
                }
            }

            return captured;
        }

        /// <summary>A variable declared inside the function (its own parameters and locals, or those of functions nested
        /// in it) is not captured by it.</summary>
        private static bool DeclaredInside(ISymbol symbol, IOperation function)
        {
            var owner = SymbolOf(function);
            for (var container = symbol.ContainingSymbol; container is not null; container = container.ContainingSymbol)
            {
                if (SymbolEqualityComparer.Default.Equals(container, owner))
                {
                    return true;
                }

                if (container is not IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary>Whether a parameter belongs to the member that contains the function (not a primary constructor's).</summary>
        private static bool InSameMember(ISymbol parameter, IOperation function)
        {
            var root = OperationTree.RootOf(function);

            foreach (var reference in parameter.DeclaringSyntaxReferences)
            {
                var member = root.Syntax.Parent ?? root.Syntax;
                if (reference.SyntaxTree == member.SyntaxTree && member.Span.Contains(reference.Span))
                {
                    return true;
                }
            }

            return false;
        }

        private void AddCapturesOfCalledLocalFunctions()
        {
            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach (var function in Functions)
                {
                    foreach (var called in LocalFunctionsUsedIn(function))
                    {
                        if (_capturesThis.Contains(called) && _capturesThis.Add(function))
                        {
                            changed = true;
                        }

                        foreach (var symbol in _captured[called].ToList())
                        {
                            if (!DeclaredInside(symbol, function) && _captured[function].Add(symbol))
                            {
                                changed = true;
                            }
                        }
                    }
                }
            }
        }

        private IReadOnlyList<ILocalFunctionOperation> LocalFunctionsUsedIn(IOperation function) =>
            _localFunctionsUsed.TryGetValue(function, out var used) ? used : (IReadOnlyList<ILocalFunctionOperation>)System.Array.Empty<ILocalFunctionOperation>();

        /// <summary>The member's local functions that <paramref name="function"/> calls or converts, computed once.</summary>
        private List<ILocalFunctionOperation> FindLocalFunctionsUsedIn(IOperation function)
        {
            var used = new List<ILocalFunctionOperation>();
            foreach (var operation in function.Descendants())
            {
                var target = operation switch
                {
                    IInvocationOperation invocation => invocation.TargetMethod,
                    IMethodReferenceOperation reference => reference.Method,
                    _ => null,
                };
                if (target is { MethodKind: MethodKind.LocalFunction } && _localFunctions.TryGetValue(target.OriginalDefinition, out var local) && local != function)
                {
                    used.Add(local);
                }
            }

            return used;
        }

        private void FindHeapFunctions(IOperation root)
        {
            // Lambdas, and iterator or async local functions: their state machine outlives the call, so it cannot
            // hold a reference to a struct closure on the caller's stack.
            foreach (var function in Functions)
            {
                if (function is IAnonymousFunctionOperation
                    || function is ILocalFunctionOperation { Symbol.IsAsync: true }
                    || function is ILocalFunctionOperation local && local.Descendants().Any(o => o.Kind is OperationKind.YieldReturn or OperationKind.YieldBreak))
                {
                    OnHeap.Add(function);
                }
            }

            if (_localFunctions.Count == 0)
            {
                return;
            }

            // Local functions converted to delegates anywhere in the member.
            foreach (var reference in root.Descendants().OfType<IMethodReferenceOperation>())
            {
                if (reference.Method is { MethodKind: MethodKind.LocalFunction } method && _localFunctions.TryGetValue(method.OriginalDefinition, out var local))
                {
                    OnHeap.Add(local);
                    ConvertedToDelegate.Add(local);
                }
            }

            // Local functions used by heap functions need their environment on the heap too.
            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach (var function in OnHeap.ToList())
                {
                    foreach (var used in LocalFunctionsUsedIn(function))
                    {
                        changed |= OnHeap.Add(used);
                    }
                }
            }
        }
    }
}
