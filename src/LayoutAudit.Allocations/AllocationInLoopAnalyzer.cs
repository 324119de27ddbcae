using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LayoutAudit.Allocations
{
    /// <summary>LA1010: a <c>new</c> object of a reference type, or a new array, inside a loop: one allocation per iteration.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class AllocationInLoopAnalyzer : AllocationAnalyzer
    {
        public const string Id = "LA1010";

        public static readonly DiagnosticDescriptor Rule = RuleHelp.Rule(
            Id,
            "Allocation inside a loop",
            "A 'new' of a class or an array inside a loop allocates on every iteration; hoisting, reusing or pooling it removes the garbage.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        internal override void Register(CompilationStartAnalysisContext start, AllocationScope scope) =>
            start.RegisterOperationAction(scope.Only(Analyze), OperationKind.ObjectCreation, OperationKind.ArrayCreation);

        private static void Analyze(OperationAnalysisContext context)
        {
            // The loop test first: it walks a few parents, where describing the allocation builds strings.
            if (Loops.Enclosing(context.Operation) is not { } loop || ExplicitAllocations.Of(context.Operation) is not { } allocation)
            {
                return;
            }

            string advice = allocation.Site == Site.Array
                ? "hoist it out of the loop and reuse it, rent it from ArrayPool<T>, or use stackalloc for a small fixed size"
                : "hoist it out of the loop and reuse it, or pool it";
            string message = "Allocation inside a loop: '" + Describe.Code(context.Operation.Syntax) + "' allocates " + allocation.What + " on every iteration of " + Loops.Name(loop) + "; " + advice;
            context.ReportDiagnostic(Diagnostic.Create(Rule, context.Operation.Syntax.GetLocation(), RuleHelp.Sites(allocation.Site), message));
        }
    }
}
