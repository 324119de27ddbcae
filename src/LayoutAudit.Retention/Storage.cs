using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Retention
{
    /// <summary>Names and compares the places values live in (locals, parameters, fields of <c>this</c>), so that
    /// two expressions can be recognized as the same array or the same collection.</summary>
    internal static class Storage
    {
        /// <summary>The local, parameter or field (of <c>this</c>, or static) that <paramref name="operation"/> reads, or null.</summary>
        public static ISymbol? Of(IOperation? operation) => WithoutConversions(operation) switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
            _ => null,
        };

        public static IOperation? WithoutConversions(IOperation? operation)
        {
            while (operation is IConversionOperation conversion)
            {
                operation = conversion.Operand;
            }

            return operation;
        }

        /// <summary>Whether two expressions certainly compute the same value, by their shape: the same variables,
        /// constants and arithmetic (<c>_size - 1</c> and <c>this._size - 1</c>).</summary>
        public static bool SameValue(IOperation? first, IOperation? second)
        {
            first = WithoutConversions(first);
            second = WithoutConversions(second);
            if (first is null || second is null)
            {
                return false;
            }

            if (first.ConstantValue.HasValue || second.ConstantValue.HasValue)
            {
                return first.ConstantValue.HasValue && second.ConstantValue.HasValue && Equals(first.ConstantValue.Value, second.ConstantValue.Value);
            }

            return (first, second) switch
            {
                (ILocalReferenceOperation a, ILocalReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Local, b.Local),
                (IParameterReferenceOperation a, IParameterReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Parameter, b.Parameter),
                (IFieldReferenceOperation a, IFieldReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Field, b.Field) && SameInstance(a.Instance, b.Instance),
                (IPropertyReferenceOperation a, IPropertyReferenceOperation b) => a.Arguments.IsEmpty && b.Arguments.IsEmpty && SymbolEqualityComparer.Default.Equals(a.Property, b.Property) && SameInstance(a.Instance, b.Instance),
                (IInstanceReferenceOperation, IInstanceReferenceOperation) => true,
                (IBinaryOperation a, IBinaryOperation b) => a.OperatorKind == b.OperatorKind && SameValue(a.LeftOperand, b.LeftOperand) && SameValue(a.RightOperand, b.RightOperand),
                _ => false,
            };
        }

        private static bool SameInstance(IOperation? first, IOperation? second) =>
            (first is null && second is null) || SameValue(first, second);

        /// <summary>Whether <paramref name="ahead"/> is <paramref name="behind"/> plus something (<c>i + 1</c>, <c>index + count</c>),
        /// <paramref name="behind"/> is <paramref name="ahead"/> minus something, or both are constants in that order.</summary>
        public static bool IsAhead(IOperation ahead, IOperation behind)
        {
            ahead = WithoutConversions(ahead)!;
            behind = WithoutConversions(behind)!;
            if (ahead.ConstantValue.Value is int aheadConstant && behind.ConstantValue.Value is int behindConstant)
            {
                return aheadConstant > behindConstant;
            }

            if (ahead is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum
                && ((SameValue(sum.LeftOperand, behind) && AddsSomething(sum.RightOperand)) || (SameValue(sum.RightOperand, behind) && AddsSomething(sum.LeftOperand))))
            {
                return true;
            }

            return behind is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } difference
                && SameValue(difference.LeftOperand, ahead) && AddsSomething(difference.RightOperand);
        }

        // A positive constant, or a count (not known, taken as positive); 0 or less would not move ahead.
        private static bool AddsSomething(IOperation operation) =>
            WithoutConversions(operation)!.ConstantValue is not { HasValue: true, Value: int value } || value > 0;
    }
}
