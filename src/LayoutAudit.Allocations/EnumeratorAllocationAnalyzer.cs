using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Allocations
{
    /// <summary>LA1005: an enumerator on the heap: <c>foreach</c> over a collection whose <c>GetEnumerator()</c> returns
    /// an interface or a class (through an interface, a struct enumerator such as <c>List&lt;T&gt;.Enumerator</c> is
    /// boxed), or an explicit call of such a <c>GetEnumerator()</c>.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class EnumeratorAllocationAnalyzer : AllocationAnalyzer
    {
        public const string Id = "LA1005";

        public static readonly DiagnosticDescriptor Rule = RuleHelp.Rule(
            Id,
            "Enumerator allocated",
            "Enumerating through an interface (IEnumerable<T>, IList<T>, ...) gets the enumerator as a heap object; the concrete collection type's struct enumerator would not allocate.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        internal override void Register(CompilationStartAnalysisContext start, AllocationScope scope)
        {
            start.RegisterOperationAction(scope.Only(o => o is IForEachLoopOperation, AnalyzeForEach), OperationKind.Loop);
            start.RegisterOperationAction(scope.Only(o => ((IInvocationOperation)o).TargetMethod.Name is "GetEnumerator" or "GetAsyncEnumerator", AnalyzeInvocation), OperationKind.Invocation);
        }

        private static void AnalyzeForEach(OperationAnalysisContext context)
        {
            if (context.Operation is not IForEachLoopOperation { Syntax: CommonForEachStatementSyntax syntax } loop || loop.SemanticModel is not { } model)
            {
                return;
            }

            var getEnumerator = model.GetForEachStatementInfo(syntax).GetEnumeratorMethod;
            if (getEnumerator is null || !getEnumerator.ReturnType.IsReferenceType)
            {
                return;
            }

            // Arrays and strings are enumerated by index: the compiler never calls their GetEnumerator.
            var collectionType = (loop.Collection is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : loop.Collection).Type;
            if (collectionType is IArrayTypeSymbol || collectionType?.SpecialType == SpecialType.System_String)
            {
                return;
            }

            string message = "Enumerator allocated: '" + (syntax.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword) ? "await foreach" : "foreach") + "' over '" + Describe.Code(syntax.Expression)
                + "' (" + Describe.Type(collectionType) + ") calls " + Describe.Member(getEnumerator) + ", which returns " + Returns(getEnumerator)
                + Loops.Suffix(loop);
            var location = Location.Create(syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(syntax.ForEachKeyword.SpanStart, syntax.Expression.Span.End));
            context.ReportDiagnostic(Diagnostic.Create(Rule, location, RuleHelp.Sites(Site.Enumerator), message));
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (method.Name is not ("GetEnumerator" or "GetAsyncEnumerator") || !method.ReturnType.IsReferenceType || invocation.IsImplicit)
            {
                return;
            }

            string message = "Enumerator allocated: " + Describe.Member(method) + " returns " + Returns(method) + Loops.Suffix(invocation);
            context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), RuleHelp.Sites(Site.Enumerator), message));
        }

        private static string Returns(IMethodSymbol getEnumerator) =>
            getEnumerator.ReturnType.TypeKind == TypeKind.Interface
                ? "the interface '" + Describe.Type(getEnumerator.ReturnType) + "': the enumerator is a heap object (a struct enumerator is boxed); enumerate the concrete type (array, List<T>, span) to get a struct enumerator"
                : "the class '" + Describe.Type(getEnumerator.ReturnType) + "': a new enumerator object for each enumeration";
    }
}
