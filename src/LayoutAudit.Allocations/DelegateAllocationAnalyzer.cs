using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Allocations
{
    /// <summary>LA1003: a delegate allocated each time a lambda or method group is converted. Not reported: the
    /// conversions the compiler caches in static fields (lambdas that capture nothing, <c>static</c> lambdas, and since
    /// C# 11 implicit conversions of static methods and static local functions).</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DelegateAllocationAnalyzer : AllocationAnalyzer
    {
        public const string Id = "LA1003";

        public static readonly DiagnosticDescriptor Rule = RuleHelp.Rule(
            Id,
            "Delegate allocated",
            "Converting a lambda that captures, an instance method, or a non-static local function to a delegate allocates a new delegate object each time it runs.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        internal override void Register(CompilationStartAnalysisContext start, AllocationScope scope) =>
            // An action per operation, not per block: block start actions cost the compiler more than the rule's own work.
            start.RegisterOperationAction(scope.Only(Analyze), OperationKind.DelegateCreation);

        private static void Analyze(OperationAnalysisContext context)
        {
            var creation = (IDelegateCreationOperation)context.Operation;
            if (creation.Type is not { TypeKind: TypeKind.Delegate } delegateType)
            {
                return;
            }

            string? reason = creation.Target switch
            {
                IAnonymousFunctionOperation lambda => LambdaReason(lambda),
                IMethodReferenceOperation reference => MethodGroupReason(creation, reference),
                { Type.TypeKind: TypeKind.Delegate } other => "wraps the delegate '" + Describe.Code(other.Syntax) + "' in a new one",
                _ => null,
            };
            if (reason is null)
            {
                return;
            }

            string message = "Delegate allocated: a new '" + Describe.Type(delegateType) + "'" + " each time this runs, because " + reason + Loops.Suffix(creation);
            context.ReportDiagnostic(Diagnostic.Create(Rule, creation.Syntax.GetLocation(), RuleHelp.Sites(Site.Delegate), message));
        }

        private static string? LambdaReason(IAnonymousFunctionOperation lambda)
        {
            var captures = Captures.Of(lambda, out _);
            if (!captures.CapturesAnything(lambda))
            {
                return null; // cached in a static field of the compiler's singleton class
            }

            var names = captures.Of(lambda).Select(v => "'" + v.Name + "'").ToList();
            if (captures.CapturesThis(lambda))
            {
                names.Add("'this'");
            }

            string kind = lambda.Syntax is AnonymousMethodExpressionSyntax ? "the anonymous method" : "the lambda";
            return kind + " captures " + Describe.List(names) + " (only lambdas that capture nothing are cached)";
        }

        private static string? MethodGroupReason(IDelegateCreationOperation creation, IMethodReferenceOperation reference)
        {
            var method = reference.Method;
            bool explicitNew = creation.Syntax is ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax;
            bool cachingLanguage = ((CSharpParseOptions)creation.Syntax.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp11;
            if (method.IsStatic && reference.Instance is null && !explicitNew && cachingLanguage)
            {
                return null; // C# 11 caches implicit conversions of static method groups
            }

            string name = Describe.Member(method);
            if (method.MethodKind == MethodKind.LocalFunction && !method.IsStatic)
            {
                return "the local function '" + method.Name + "' is not static (a static local function's conversion is cached)";
            }

            if (reference.Instance is { } receiver && method.IsExtensionMethod)
            {
                return "the extension method " + name + " is bound to the receiver '" + Describe.Code(receiver.Syntax) + "'";
            }

            if (!method.IsStatic)
            {
                return "the instance method " + name + " is bound to its receiver '" + (reference.Instance is { IsImplicit: false } instance ? Describe.Code(instance.Syntax) : "this") + "'";
            }

            return explicitNew
                ? "'new' always allocates: only implicit conversions of static method groups are cached (write the method group without 'new')"
                : "the language version is below C# 11, which caches conversions of static method groups";
        }
    }
}
