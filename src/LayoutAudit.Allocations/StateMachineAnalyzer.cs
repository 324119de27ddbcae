using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Allocations
{
    /// <summary>LA1007: the compiler's hidden state machines. An iterator allocates its enumerator class on every call;
    /// an async method's state machine (and its task) moves to the heap when an await suspends it.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class StateMachineAnalyzer : AllocationAnalyzer
    {
        public const string Id = "LA1007";

        public static readonly DiagnosticDescriptor Rule = RuleHelp.Rule(
            Id,
            "State machine allocated",
            "Iterators allocate a compiler-generated enumerator object per call; async methods box their state machine onto the heap the first time an await suspends.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        internal override void Register(CompilationStartAnalysisContext start, AllocationScope scope) =>
            start.RegisterOperationAction(scope.Only(Analyze), OperationKind.MethodBody, OperationKind.LocalFunction, OperationKind.AnonymousFunction);

        private static void Analyze(OperationAnalysisContext context)
        {
            var (method, body) = context.Operation switch
            {
                IMethodBodyOperation methodBody => (context.ContainingSymbol as IMethodSymbol, (IOperation?)methodBody.BlockBody ?? methodBody.ExpressionBody),
                ILocalFunctionOperation local => (local.Symbol, (IOperation?)local.Body ?? local.IgnoredBody),
                IAnonymousFunctionOperation lambda => (lambda.Symbol, lambda.Body),
                _ => (null, null),
            };
            // Only iterators and async functions have state machines: the body walks below are for those alone.
            if (method is null || body is null || !(method.IsAsync || MayBeIterator(method)))
            {
                return;
            }

            var location = NameLocation(context.Operation.Syntax);
            if (Contains(body, o => o.Kind is OperationKind.YieldReturn or OperationKind.YieldBreak))
            {
                string message = "State machine allocated: '" + NameOf(method) + "' is an iterator, so every call allocates its compiler-generated enumerator object (holding its parameters and locals) before the first element"
                    + Loops.Suffix(context.Operation) + "; return a struct enumerator or fill a caller's span in hot paths";
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, RuleHelp.Sites(Site.StateMachine), message));
            }
            else if (method.IsAsync && Contains(body, MaySuspend))
            {
                string message = "State machine may move to the heap: '" + NameOf(method) + "' is async, and the first await that suspends (its operation not yet complete) boxes the state machine with its locals into a heap object"
                    + (method.ReturnsVoid ? "" : ", and the " + Describe.Type(method.ReturnType) + " it returns is allocated unless it completes synchronously with a cached result")
                    + "; nothing is allocated while every await completes synchronously";
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, RuleHelp.Sites(), message));
            }
        }

        /// <summary>Whether the function may contain 'yield': an iterator returns one of the enumerable or enumerator
        /// interfaces (a lambda cannot be an iterator, but is kept; an unknown return type too, for broken code).</summary>
        private static bool MayBeIterator(IMethodSymbol method)
        {
            if (method.MethodKind == MethodKind.AnonymousFunction || method.ReturnType.TypeKind == TypeKind.Error)
            {
                return true;
            }

            var returned = method.ReturnType.OriginalDefinition;
            return returned.SpecialType is SpecialType.System_Collections_IEnumerable or SpecialType.System_Collections_Generic_IEnumerable_T
                    or SpecialType.System_Collections_IEnumerator or SpecialType.System_Collections_Generic_IEnumerator_T
                || returned.Name is "IAsyncEnumerable" or "IAsyncEnumerator";
        }

        private static string NameOf(IMethodSymbol method) => method switch
        {
            { MethodKind: MethodKind.AnonymousFunction } => "the lambda",
            { AssociatedSymbol: { } property } => property.Name + "' getter '" + method.Name,
            _ => method.Name,
        };

        /// <summary>Whether the body, outside nested functions (they have their own state machines), has such an operation.</summary>
        private static bool Contains(IOperation body, System.Func<IOperation, bool> predicate)
        {
            foreach (var operation in body.DescendantsAndSelf())
            {
                if (predicate(operation) && !InNestedFunction(operation, body))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>An await, await foreach or await using: where an async method may suspend.</summary>
        private static bool MaySuspend(IOperation operation) =>
            operation is IAwaitOperation
            || operation is IForEachLoopOperation { IsAsynchronous: true }
            || operation is IUsingOperation { IsAsynchronous: true }
            || operation is IUsingDeclarationOperation { IsAsynchronous: true };

        private static bool InNestedFunction(IOperation operation, IOperation body)
        {
            for (var current = operation.Parent; current is not null && current != body; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return true;
                }
            }

            return false;
        }

        private static Location NameLocation(SyntaxNode syntax) => syntax switch
        {
            MethodDeclarationSyntax method => method.Identifier.GetLocation(),
            LocalFunctionStatementSyntax local => local.Identifier.GetLocation(),
            AccessorDeclarationSyntax accessor => accessor.Keyword.GetLocation(),
            AnonymousFunctionExpressionSyntax lambda when lambda.AsyncKeyword.Span.Length > 0 => lambda.AsyncKeyword.GetLocation(),
            BaseMethodDeclarationSyntax other => other.ParameterList.GetLocation(),
            _ => syntax.GetFirstToken().GetLocation(),
        };
    }
}
