using System.Collections.Immutable;
using System.Linq;
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
            if (content == ReferenceContent.None || ClearedJustBefore(invocation, Storage.Of(array.Value)))
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

        /// <summary>Whether an earlier statement of the same block clears the array by hand (<c>Array.Clear(a)</c>,
        /// <c>Array.Clear(a, 0, n)</c>, <c>a.AsSpan(...).Clear()</c>) with no statement in between that assigns the
        /// variable again. Clearing only the slots used (<c>0..n</c>) counts: the code that filled them knows which.</summary>
        private static bool ClearedJustBefore(IInvocationOperation returnCall, ISymbol? array)
        {
            if (array is null || returnCall.Parent is not IExpressionStatementOperation statement || statement.Parent is not IBlockOperation block)
            {
                return false;
            }

            int index = block.Operations.IndexOf(statement);
            for (int i = index - 1; i >= 0; i--)
            {
                var earlier = block.Operations[i];
                if (earlier is IExpressionStatementOperation { Operation: IInvocationOperation call } && Clears(call, array))
                {
                    return true;
                }

                foreach (var operation in earlier.DescendantsAndSelf())
                {
                    if (operation is IAssignmentOperation assignment && SymbolEqualityComparer.Default.Equals(Storage.Of(assignment.Target), array))
                    {
                        return false;
                    }
                }
            }

            return false;
        }

        private static bool Clears(IInvocationOperation call, ISymbol array) => call.TargetMethod switch
        {
            { Name: "Clear", IsStatic: true, ContainingType.SpecialType: SpecialType.System_Array } =>
                call.Arguments.Length > 0 && SymbolEqualityComparer.Default.Equals(Storage.Of(call.Arguments[0].Value), array),
            { Name: "Clear", IsStatic: false, ContainingType: { Name: "Span", ContainingNamespace.Name: "System" } } =>
                Storage.WithoutConversions(call.Instance) is IInvocationOperation { TargetMethod.Name: "AsSpan" } asSpan
                && asSpan.Arguments.Length > 0
                && SymbolEqualityComparer.Default.Equals(Storage.Of(asSpan.Arguments[0].Value), array),
            _ => false,
        };

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
