using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LayoutAudit.Allocations
{
    /// <summary>LA1011 (off by default): every other <c>new</c> of a class or an array in audited code, outside loops
    /// (inside loops, LA1010 reports them). Turn it on to list every heap allocation a method makes.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ExplicitAllocationAnalyzer : AllocationAnalyzer
    {
        public const string Id = "LA1011";

        public static readonly DiagnosticDescriptor Rule = RuleHelp.Rule(
            Id,
            "Explicit allocation",
            "A 'new' of a class or an array allocates on the heap; listed so that an audited method's every allocation is visible.",
            DiagnosticSeverity.Info,
            enabledByDefault: false);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        internal override void Register(CompilationStartAnalysisContext start, AllocationScope scope) =>
            start.RegisterOperationAction(scope.Only(Analyze), OperationKind.ObjectCreation, OperationKind.ArrayCreation);

        private static void Analyze(OperationAnalysisContext context)
        {
            if (ExplicitAllocations.Of(context.Operation) is not { } allocation || Loops.Enclosing(context.Operation) is not null)
            {
                return;
            }

            string message = "Explicit allocation: '" + Describe.Code(context.Operation.Syntax) + "' allocates " + allocation.What + " on the heap";
            context.ReportDiagnostic(Diagnostic.Create(Rule, context.Operation.Syntax.GetLocation(), RuleHelp.Sites(allocation.Site), message));
        }
    }
}
