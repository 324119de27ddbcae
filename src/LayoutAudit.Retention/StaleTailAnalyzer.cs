using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Retention
{
    /// <summary>LA2004: a hand-written removal shifts array elements left (<c>Array.Copy(a, i + 1, a, i, n)</c>,
    /// <c>Span.CopyTo</c>, or a shifting loop) and shrinks a count, but never clears the slot the shift vacated. That
    /// slot still references an element that is no longer in the collection, so the element stays alive: the seed's
    /// <c>append(s[:i], s[i+1:]...)</c> leaving a stale pointer in the tail.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class StaleTailAnalyzer : DiagnosticAnalyzer
    {
        public const string Id = "LA2004";

        /// <summary>Diagnostic property present when the cleared slot needs <c>default!</c> (a non-nullable reference type).</summary>
        public const string SuppressNullableKey = "SuppressNullable";

        public static readonly DiagnosticDescriptor Rule = new(
            Id,
            "Vacated slot not cleared after shifting elements left",
            "Elements of '{0}' are shifted left and the count shrinks, but the vacated slot still references its old {1}, which stays alive: clear it ({0}[{2}] = default)",
            RuleHelp.RetentionCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Removing from an array-backed collection by shifting the tail left duplicates the last element into the slot before it; the old last slot keeps a reference the collection no longer counts. Clear it so the garbage collector can take the object.",
            helpLinkUri: RuleHelp.LinkFor(Id));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var array = start.Compilation.GetSpecialType(SpecialType.System_Array);
                var memoryExtensions = start.Compilation.GetTypeByMetadataName("System.MemoryExtensions");
                if (array.TypeKind != TypeKind.Error)
                {
                    start.RegisterOperationBlockAction(blockContext => AnalyzeBlocks(blockContext, new Types(array, memoryExtensions)));
                }
            });
        }

        private sealed record Types(INamedTypeSymbol Array, INamedTypeSymbol? MemoryExtensions);

        /// <summary>A left shift of <paramref name="Array"/> (the variable), written as <paramref name="ArrayExpression"/>.</summary>
        private sealed record Shift(IOperation Operation, ISymbol Array, IOperation ArrayExpression);

        private static void AnalyzeBlocks(OperationBlockAnalysisContext context, Types types)
        {
            // A cheap look first: a removal needs both a decrement and something that might shift.
            bool mayShift = false;
            bool decrements = false;
            foreach (var operation in context.OperationBlocks.SelectMany(root => root.Descendants()))
            {
                mayShift |= operation is IInvocationOperation { TargetMethod.Name: "Copy" or "ConstrainedCopy" or "CopyTo" }
                    or ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation, Value: IArrayElementReferenceOperation };
                decrements |= IsDecrement(operation);
            }

            if (!mayShift || !decrements)
            {
                return;
            }

            foreach (var flow in MethodFlow.ForBlocks(context))
            {
                Analyze(context, flow, types);
            }
        }

        private static void Analyze(OperationBlockAnalysisContext context, MethodFlow flow, Types types)
        {
            var shifts = new List<Shift>();
            var decrements = new List<IOperation>();
            var clears = new List<(ISymbol Array, IOperation Operation)>();
            foreach (var operation in flow.AllOperations)
            {
                if (AsShift(operation, flow, types) is { } shift)
                {
                    shifts.Add(shift);
                }
                else if (IsDecrement(operation))
                {
                    decrements.Add(operation);
                }
                else if (ClearedArray(operation, types) is { } cleared)
                {
                    clears.Add((cleared, operation));
                }
            }

            if (decrements.Count == 0)
            {
                return;
            }

            foreach (var shift in shifts)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                var elementType = (Storage.WithoutConversions(shift.ArrayExpression)?.Type as IArrayTypeSymbol)?.ElementType;
                if (elementType is null || ReferenceContents.Of(elementType) == ReferenceContent.None)
                {
                    continue;
                }

                if (clears.Any(clear => SymbolEqualityComparer.Default.Equals(clear.Array, shift.Array) && flow.CanFollow(shift.Operation, clear.Operation)))
                {
                    continue;
                }

                var decrement = ChooseDecrement(decrements, shift);
                var count = DecrementedTarget(decrement);
                bool suppress = elementType.NullableAnnotation == NullableAnnotation.NotAnnotated && !elementType.IsValueType;
                var properties = suppress ? ImmutableDictionary<string, string?>.Empty.Add(SuppressNullableKey, "true") : ImmutableDictionary<string, string?>.Empty;
                context.ReportDiagnostic(Diagnostic.Create(
                    Rule,
                    shift.Operation.Syntax.GetLocation(),
                    new[] { Storage.WithoutConversions(shift.ArrayExpression)!.Syntax.GetLocation(), decrement.Syntax.GetLocation() },
                    properties,
                    CodeText.Of(Storage.WithoutConversions(shift.ArrayExpression)!),
                    elementType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                    CodeText.Of(count)));
            }
        }

        /// <summary>The decrement of the count the shift works with (its length or loop bound), else the first one.</summary>
        private static IOperation ChooseDecrement(List<IOperation> decrements, Shift shift)
        {
            var mentioned = new HashSet<ISymbol>(
                shift.Operation.DescendantsAndSelf().Select(Storage.Of).Where(symbol => symbol is not null)!,
                SymbolEqualityComparer.Default);
            return decrements.FirstOrDefault(d => DecrementedSymbol(d) is { } symbol && mentioned.Contains(symbol))
                ?? decrements.OrderBy(d => d.Syntax.SpanStart).First();
        }

        private static ISymbol? DecrementedSymbol(IOperation decrement) => DecrementedTarget(decrement) switch
        {
            IPropertyReferenceOperation property => property.Property,
            var target => Storage.Of(target),
        };

        private static IOperation DecrementedTarget(IOperation decrement) => decrement switch
        {
            IIncrementOrDecrementOperation step => step.Target,
            IAssignmentOperation assignment => assignment.Target,
            _ => decrement,
        };

        /// <summary><c>n--</c>, <c>--n</c>, <c>n -= k</c>, <c>n = n - k</c> on an integer.</summary>
        private static bool IsDecrement(IOperation operation) => operation switch
        {
            IIncrementOrDecrementOperation { Kind: OperationKind.Decrement } step => IsInteger(step.Target.Type),
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Subtract } compound => IsInteger(compound.Target.Type),
            ISimpleAssignmentOperation { Value: IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } difference } assignment =>
                IsInteger(assignment.Target.Type) && Storage.SameValue(difference.LeftOperand, assignment.Target),
            _ => false,
        };

        private static bool IsInteger(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_IntPtr;

        private static Shift? AsShift(IOperation operation, MethodFlow flow, Types types)
        {
            switch (operation)
            {
                // Array.Copy(a, i + 1, a, i, n)
                case IInvocationOperation { TargetMethod: { Name: "Copy" or "ConstrainedCopy", Parameters.Length: 5 } method } copy
                    when SymbolEqualityComparer.Default.Equals(method.ContainingType, types.Array):
                    {
                        var source = Argument(copy, 0);
                        var destination = Argument(copy, 2);
                        var array = Storage.Of(source);
                        return array is not null && SymbolEqualityComparer.Default.Equals(array, Storage.Of(destination))
                            && Argument(copy, 1) is { } from && Argument(copy, 3) is { } to && Storage.IsAhead(from, to)
                            ? new Shift(copy, array, destination!)
                            : null;
                    }

                // a.AsSpan(i + 1).CopyTo(a.AsSpan(i))
                case IInvocationOperation { TargetMethod.Name: "CopyTo" } copyTo:
                    {
                        var source = copyTo.Instance ?? Argument(copyTo, 0);
                        var destination = copyTo.Instance is null ? Argument(copyTo, 1) : Argument(copyTo, 0);
                        if (SpanOf(source, types) is { } from && SpanOf(destination, types) is { } to
                            && SymbolEqualityComparer.Default.Equals(from.Array, to.Array) && IsAhead(from.Start, to.Start))
                        {
                            return new Shift(copyTo, from.Array, to.ArrayExpression);
                        }

                        return null;
                    }

                // for (...) a[j] = a[j + 1];
                case ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation { Indices.Length: 1 } target, Value: IArrayElementReferenceOperation { Indices.Length: 1 } value }:
                    {
                        var array = Storage.Of(target.ArrayReference);
                        return array is not null && SymbolEqualityComparer.Default.Equals(array, Storage.Of(value.ArrayReference))
                            && Storage.IsAhead(value.Indices[0], target.Indices[0]) && flow.IsInCycle(operation)
                            ? new Shift(operation, array, target.ArrayReference)
                            : null;
                    }

                default:
                    return null;
            }
        }

        private static IOperation? Argument(IInvocationOperation invocation, int ordinal) =>
            invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal)?.Value;

        /// <summary>A span over <c>array</c> from <c>Start</c> (null: from 0): <c>a.AsSpan(s)</c>, <c>new Span&lt;T&gt;(a, s, n)</c>,
        /// <c>a.AsSpan().Slice(s)</c>, or the array itself converted to a span.</summary>
        private static (ISymbol Array, IOperation ArrayExpression, IOperation? Start)? SpanOf(IOperation? operation, Types types)
        {
            switch (operation)
            {
                case IConversionOperation { Operand.Type: IArrayTypeSymbol } conversion when Storage.Of(conversion.Operand) is { } whole:
                    return (whole, conversion.Operand, null);
                case IConversionOperation conversion:
                    return SpanOf(conversion.Operand, types);
                case IInvocationOperation { TargetMethod: { Name: "AsSpan", IsStatic: true } method } asSpan
                    when SymbolEqualityComparer.Default.Equals(method.ContainingType, types.MemoryExtensions) && Argument(asSpan, 0) is { Type: IArrayTypeSymbol } array
                        && Storage.Of(array) is { } symbol:
                    {
                        var start = Argument(asSpan, 1);
                        return start is null || start.Type?.SpecialType == SpecialType.System_Int32 ? (symbol, array, start) : null;
                    }

                case IObjectCreationOperation { Arguments.Length: >= 1 } creation when creation.Arguments[0].Value is { Type: IArrayTypeSymbol } array && Storage.Of(array) is { } symbol:
                    return (symbol, array, creation.Arguments.Length >= 2 ? creation.Arguments[1].Value : null);
                case IInvocationOperation { TargetMethod.Name: "Slice", Instance: { } instance } slice when slice.Arguments.Length >= 1
                    && SpanOf(instance, types) is { Start: null } whole:
                    return (whole.Array, whole.ArrayExpression, slice.Arguments[0].Value);
                default:
                    return null;
            }
        }

        private static bool IsAhead(IOperation? from, IOperation? to)
        {
            if (to is null)
            {
                return from is not null && Storage.WithoutConversions(from)!.ConstantValue is not { HasValue: true, Value: int start and <= 0 };
            }

            return from is not null && Storage.IsAhead(from, to);
        }

        /// <summary>The array whose slot(s) <paramref name="operation"/> clears: <c>a[k] = default</c>, <c>Array.Clear(a, ...)</c>,
        /// <c>a.AsSpan(...).Clear()</c>, <c>Array.Resize(ref a, ...)</c>, or <c>a = other</c>.</summary>
        private static ISymbol? ClearedArray(IOperation operation, Types types)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation element } assignment when IsDefault(assignment.Value):
                    return Storage.Of(element.ArrayReference);
                case ISimpleAssignmentOperation { Target: { Type: IArrayTypeSymbol } target }:
                    return Storage.Of(target);
                case IInvocationOperation { TargetMethod: { Name: "Clear" or "Resize" or "Fill" } method } call when SymbolEqualityComparer.Default.Equals(method.ContainingType, types.Array):
                    return Storage.Of(Argument(call, 0));
                case IInvocationOperation { TargetMethod.Name: "Clear", Instance: { } span }:
                    return SpanOf(span, types)?.Array;
                default:
                    return null;
            }
        }

        private static bool IsDefault(IOperation value)
        {
            var unwrapped = Storage.WithoutConversions(value);
            return unwrapped is IDefaultValueOperation || unwrapped?.ConstantValue is { HasValue: true, Value: null };
        }
    }
}
