using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Allocations
{
    /// <summary>LA1004: the array the compiler allocates for the arguments of a <c>params T[]</c> parameter. Not
    /// reported: calls with no params arguments (the compiler passes the cached <c>Array.Empty&lt;T&gt;()</c>), an
    /// array passed as is, and C# 13 <c>params</c> spans, whose elements live on the stack.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ParamsArrayAnalyzer : AllocationAnalyzer
    {
        public const string Id = "LA1004";

        public static readonly DiagnosticDescriptor Rule = RuleHelp.Rule(
            Id,
            "params array allocated",
            "Each call that passes arguments to a 'params' array parameter allocates a new array to hold them.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        internal override void Register(CompilationStartAnalysisContext start, AllocationScope scope) =>
            start.RegisterOperationAction(scope.Only(o => ((IArgumentOperation)o).ArgumentKind == ArgumentKind.ParamArray, Analyze), OperationKind.Argument);

        private static void Analyze(OperationAnalysisContext context)
        {
            var argument = (IArgumentOperation)context.Operation;
            if (argument.ArgumentKind != ArgumentKind.ParamArray
                || argument.Parameter is not { Type: IArrayTypeSymbol arrayType } parameter
                || argument.Value is not IArrayCreationOperation creation
                || creation.Initializer is not { ElementValues.Length: > 0 } initializer)
            {
                return;
            }

            string message = "params array allocated: a new " + Describe.Type(arrayType.ElementType) + "[" + initializer.ElementValues.Length + "] holds the "
                + (initializer.ElementValues.Length == 1 ? "argument" : initializer.ElementValues.Length + " arguments")
                + " of the params parameter '" + parameter.Name + "' of " + Describe.Member(parameter.ContainingSymbol)
                + HintFor(parameter) + Loops.Suffix(argument);
            var location = argument.Parent?.Syntax.GetLocation() ?? argument.Syntax.GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(Rule, location, RuleHelp.Sites(Site.Array), message));
        }

        /// <summary>Names a sibling overload that takes a span, when the called type has one.</summary>
        private static string HintFor(IParameterSymbol parameter)
        {
            if (parameter.ContainingSymbol is not IMethodSymbol method)
            {
                return "";
            }

            foreach (var member in method.ContainingType.GetMembers(method.Name))
            {
                if (member is IMethodSymbol { Parameters.Length: > 0 } candidate
                    && candidate.Parameters.Length == method.Parameters.Length
                    && candidate.Parameters[candidate.Parameters.Length - 1] is { IsParams: true, Type: INamedTypeSymbol { Name: "ReadOnlySpan" or "Span" } })
                {
                    return " (an overload takes a params span, which does not allocate: it is chosen when the argument types match it)";
                }
            }

            return "";
        }
    }
}
