using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Allocations
{
    /// <summary>LA1008: a call of a <c>System.Linq.Enumerable</c> operator (method syntax or query syntax). Not
    /// reported: <c>Count()</c>/<c>LongCount()</c>/<c>Any()</c> on a collection and <c>First()</c>/<c>Last()</c>/
    /// <c>ElementAt()</c> (and their OrDefault forms) on a list, which read the collection without enumerating it.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class LinqAnalyzer : AllocationAnalyzer
    {
        public const string Id = "LA1008";

        public static readonly DiagnosticDescriptor Rule = RuleHelp.Rule(
            Id,
            "LINQ allocation",
            "LINQ operators allocate an iterator object per call, enumerate their source through a heap enumerator, and materializing operators allocate the collection they return.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        internal override void Register(CompilationStartAnalysisContext start, AllocationScope scope) =>
            start.RegisterOperationAction(scope.Only(o => IsEnumerable(((IInvocationOperation)o).TargetMethod.ContainingType), Analyze), OperationKind.Invocation);

        private static void Analyze(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (!IsEnumerable(method.ContainingType) || IsFastPath(invocation))
            {
                return;
            }

            string what = method.ReturnType is INamedTypeSymbol { Name: "IEnumerable" or "IOrderedEnumerable" } || method.ReturnType.Name.StartsWith("IEnumerable", System.StringComparison.Ordinal)
                ? "allocates an iterator object now, and a heap enumerator for its source when it is enumerated"
                : method.Name.StartsWith("To", System.StringComparison.Ordinal)
                    ? "allocates the " + Describe.Type(method.ReturnType) + " it returns, and enumerates its source through a heap enumerator unless it is an array or a list"
                    : "enumerates its source through a heap enumerator unless it is an array or a list";
            string message = "LINQ allocation: Enumerable." + method.Name + " " + what + (invocation.IsImplicit ? " (from query syntax)" : "") + Loops.Suffix(invocation) + "; a loop over the concrete collection does not allocate";
            var location = invocation.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax { Expression: Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access }
                ? Location.Create(access.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(access.Name.SpanStart, invocation.Syntax.Span.End))
                : invocation.Syntax.GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(Rule, location, RuleHelp.Sites(Site.Linq), message));
        }

        private static bool IsEnumerable(INamedTypeSymbol? type) =>
            type is { Name: "Enumerable", ContainingNamespace: { Name: "Linq", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

        /// <summary>Operators that answer from a collection's Count or a list's indexer without enumerating (the
        /// runtime's Enumerable checks for these interfaces first).</summary>
        internal static bool IsFastPath(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (invocation.Arguments.Length != 1 && method.Name is not ("ElementAt" or "ElementAtOrDefault"))
            {
                return false;
            }

            var source = invocation.Arguments.FirstOrDefault()?.Value;
            var type = (source is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : source)?.Type;
            if (type is null)
            {
                return false;
            }

            return method.Name switch
            {
                "Count" or "LongCount" or "Any" => Implements(type, "ICollection"),
                "First" or "FirstOrDefault" or "Last" or "LastOrDefault" or "ElementAt" or "ElementAtOrDefault" => Implements(type, "IList"),
                _ => false,
            };
        }

        private static bool Implements(ITypeSymbol type, string interfaceName) =>
            type is IArrayTypeSymbol
            || (type.Name == interfaceName && type.TypeKind == TypeKind.Interface)
            || type.AllInterfaces.Any(i => i.Name == interfaceName && i.ContainingNamespace?.ToDisplayString() is "System.Collections.Generic" or "System.Collections");
    }
}
