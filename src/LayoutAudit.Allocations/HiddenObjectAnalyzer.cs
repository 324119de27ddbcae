using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Allocations
{
    /// <summary>LA1009: objects created without a <c>new</c> of a named type: anonymous types, and collection expressions
    /// whose target type lives on the heap (arrays, lists, sets, and the compiler's read-only wrappers for
    /// <c>IEnumerable&lt;T&gt;</c>/<c>IReadOnlyList&lt;T&gt;</c>). Not reported: empty arrays and interfaces (the cached
    /// <c>Array.Empty&lt;T&gt;()</c>) and spans without spreads (stack memory).</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HiddenObjectAnalyzer : AllocationAnalyzer
    {
        public const string Id = "LA1009";

        public static readonly DiagnosticDescriptor Rule = RuleHelp.Rule(
            Id,
            "Anonymous object or collection allocated",
            "Anonymous types are classes, and collection expressions allocate the array, list or wrapper their target type needs.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        internal override void Register(CompilationStartAnalysisContext start, AllocationScope scope)
        {
            start.RegisterOperationAction(scope.Only(AnalyzeAnonymousObject), OperationKind.AnonymousObjectCreation);
            start.RegisterOperationAction(scope.Only(AnalyzeCollectionExpression), OperationKind.CollectionExpression);
        }

        private static void AnalyzeAnonymousObject(OperationAnalysisContext context)
        {
            var creation = (IAnonymousObjectCreationOperation)context.Operation;
            string message = "Anonymous object allocated: an anonymous type is a class, so '" + Describe.Code(creation.Syntax) + "' allocates a heap object" + Loops.Suffix(creation) + "; a tuple or a record struct would not";
            context.ReportDiagnostic(Diagnostic.Create(Rule, creation.Syntax.GetLocation(), RuleHelp.Sites(Site.AnonymousType), message));
        }

        private static void AnalyzeCollectionExpression(OperationAnalysisContext context)
        {
            var collection = (ICollectionExpressionOperation)context.Operation;
            if (collection.Type is not { } type || collection.Parent is IArgumentOperation { ArgumentKind: ArgumentKind.ParamArray })
            {
                return;
            }

            var (what, sites) = Allocations(collection, type);
            if (what is null)
            {
                return;
            }

            string message = "Collection allocated: this collection expression becomes '" + Describe.Type(type) + "', so it allocates " + what + Loops.Suffix(collection);
            context.ReportDiagnostic(Diagnostic.Create(Rule, collection.Syntax.GetLocation(), RuleHelp.Sites(sites), message));
        }

        /// <summary>What the compiler allocates for a collection expression of <paramref name="type"/>, and the IL sites.</summary>
        private static (string? What, string[] Sites) Allocations(ICollectionExpressionOperation collection, ITypeSymbol type)
        {
            int count = collection.Elements.Length;
            bool spreads = collection.Elements.Any(e => e is ISpreadOperation);
            switch (type)
            {
                case IArrayTypeSymbol:
                    return count == 0 ? (null, new string[0]) : ("a new array" + (spreads ? " sized by its spreads" : " of " + count), new[] { Site.Array });
                case INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", ContainingNamespace.Name: "System" }:
                    return spreads ? ("a heap array to hold the spread elements", new[] { Site.Array }) : (null, new string[0]);
                case INamedTypeSymbol { TypeKind: TypeKind.Interface, Name: "IEnumerable" or "IReadOnlyCollection" or "IReadOnlyList" }:
                    if (count == 0)
                    {
                        return (null, new string[0]);
                    }

                    if (count == 1 && !spreads)
                    {
                        return ("a compiler-generated read-only single-element list", new[] { Site.Object });
                    }

                    return spreads
                        ? ("a List<T> and a compiler-generated read-only wrapper around it", new[] { Site.Object, Site.Object })
                        : ("an array of " + count + " and a compiler-generated read-only wrapper around it", new[] { Site.Array, Site.Object });
                case INamedTypeSymbol { TypeKind: TypeKind.Interface }:
                    return ("a List<T> behind the interface", new[] { Site.Object });
                case INamedTypeSymbol { IsReferenceType: true } named when collection.ConstructMethod is { MethodKind: MethodKind.Constructor }:
                    return ("a new " + Describe.Type(named), new[] { Site.Object });
                case INamedTypeSymbol when collection.ConstructMethod is { IsStatic: true } builder:
                    return ("whatever its builder " + Describe.Member(builder) + " allocates (inside that call, not in this method's IL)", new string[0]);
                default:
                    return (null, new string[0]);
            }
        }
    }
}
