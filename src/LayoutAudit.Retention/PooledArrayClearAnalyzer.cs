using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Retention
{
    /// <summary>LA2003: <c>ArrayPool&lt;T&gt;.Return(array)</c> without <c>clearArray: true</c> where <c>T</c> holds references.
    /// The pool keeps the array, and the array keeps every object it still points to, until someone rents it again
    /// and happens to overwrite those slots (Go's <c>sync.Pool</c> of slices has the same trap).</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PooledArrayClearAnalyzer : DiagnosticAnalyzer
    {
        public const string Id = "LA2003";

        /// <summary>Diagnostic property: the <c>clearArray</c> value the fix writes.</summary>
        public const string ClearValueKey = "ClearValue";

        /// <summary>The value for an element type known to hold references.</summary>
        public const string ClearAlways = "true";

        /// <summary>The value in generic code, where only the type argument knows.</summary>
        public const string ClearIfReferences = "IsReferenceOrContainsReferences";

        public static readonly DiagnosticDescriptor Rule = new(
            Id,
            "Pooled array returned with its references",
            "'{0}' goes back to the pool still referencing its {1} elements, which stay alive until the array is rented and overwritten: pass clearArray: {2}",
            RuleHelp.RetentionCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "ArrayPool<T>.Return does not clear the array unless asked. When T is or contains a reference type, the objects the array still points to cannot be collected while the pool holds it.",
            helpLinkUri: RuleHelp.LinkFor(Id));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (start.Compilation.GetTypeByMetadataName("System.Buffers.ArrayPool`1") is { } arrayPool)
                {
                    start.RegisterOperationAction(operationContext => Analyze(operationContext, arrayPool), OperationKind.Invocation);
                }
            });
        }

        private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol arrayPool)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (method.Name != "Return"
                || method.IsStatic
                || method.Parameters.Length != 2
                || method.Parameters[0].Type is not IArrayTypeSymbol { ElementType: var elementType }
                || method.Parameters[1].Type.SpecialType != SpecialType.System_Boolean
                || !IsArrayPool(method.ContainingType, arrayPool))
            {
                return;
            }

            IArgumentOperation? array = null;
            IArgumentOperation? clear = null;
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == 0)
                {
                    array = argument;
                }
                else if (argument.Parameter?.Ordinal == 1)
                {
                    clear = argument;
                }
            }

            // A computed clearArray is a decision someone made; only a missing or constant false one is the trap.
            bool leavesReferences = clear is null || clear.ArgumentKind == ArgumentKind.DefaultValue || clear.Value.ConstantValue is { HasValue: true, Value: false };
            if (array is null || !leavesReferences)
            {
                return;
            }

            var content = ReferenceContents.Of(elementType);
            if (content == ReferenceContent.None)
            {
                return;
            }

            string value = content == ReferenceContent.Some
                ? ClearAlways
                : "RuntimeHelpers.IsReferenceOrContainsReferences<" + elementType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + ">()";
            var properties = ImmutableDictionary<string, string?>.Empty.Add(ClearValueKey, content == ReferenceContent.Some ? ClearAlways : ClearIfReferences);
            context.ReportDiagnostic(Diagnostic.Create(
                Rule,
                invocation.Syntax.GetLocation(),
                properties,
                CodeText.Of(array.Value),
                elementType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                value));
        }

        private static bool IsArrayPool(INamedTypeSymbol? type, INamedTypeSymbol arrayPool)
        {
            for (; type is not null; type = type.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, arrayPool))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
