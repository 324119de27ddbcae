using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Allocations
{
    /// <summary>LA1001: a value copied into a new heap object: converted to <c>object</c>, an interface, <c>Enum</c> or
    /// <c>ValueType</c>; the receiver of an <c>object</c> method its struct does not override, of <c>GetType()</c>, or of
    /// a delegate to a struct's instance method; a hole of an interpolated <c>FormattableString</c>.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class BoxingAnalyzer : AllocationAnalyzer
    {
        public const string Id = "LA1001";

        public static readonly DiagnosticDescriptor Rule = RuleHelp.Rule(
            Id,
            "Value type boxed",
            "Boxing copies a value type into a new heap object (object header, method table pointer and the value) each time it runs.");

        private const string JitNote = "; the box does not leave the method, so the .NET 10 JIT may remove it";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        internal override void Register(CompilationStartAnalysisContext start, AllocationScope scope)
        {
            start.RegisterOperationAction(scope.Only(MayBoxOperand, AnalyzeConversion), OperationKind.Conversion);
            start.RegisterOperationAction(scope.Only(HasValueTypeReceiver, AnalyzeInvocation), OperationKind.Invocation);
            start.RegisterOperationAction(scope.Only(AnalyzeDelegateCreation), OperationKind.DelegateCreation);
            start.RegisterOperationAction(scope.Only(AnalyzeInterpolatedString), OperationKind.InterpolatedString);
        }

        // Conversions and calls are the most frequent operations: these tests come before any other work.
        private static bool MayBoxOperand(IOperation operation) =>
            operation is IConversionOperation conversion && ValueTypes.MayBox(conversion.Operand.Type) && conversion.GetConversion().IsBoxing;

        private static bool HasValueTypeReceiver(IOperation operation) => ((IInvocationOperation)operation).Instance is { } instance && ValueTypes.MayBox(instance.Type);

        private static void AnalyzeConversion(OperationAnalysisContext context)
        {
            var conversion = (IConversionOperation)context.Operation;
            var operandType = conversion.Operand.Type;
            if (!conversion.GetConversion().IsBoxing || !ValueTypes.MayBox(operandType) || IsNullTest(conversion) || IsHasFlagOnConcreteEnum(conversion))
            {
                return;
            }

            string subject = ValueTypes.Subject(conversion.Operand.Syntax, operandType);
            if (conversion.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String }
                or ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String })
            {
                // The compiler calls ToString() on the value instead of converting it: that boxes only when the
                // struct inherits ToString from ValueType or Enum. A type parameter gets a constrained call (no box).
                if (operandType is ITypeParameterSymbol || ValueTypes.Overrides(operandType!, nameof(ToString)))
                {
                    return;
                }

                Report(context, conversion.Operand, subject + " is boxed: string concatenation calls ToString(), which '" + Describe.Type(operandType) + "' does not override, on a boxed copy");
                return;
            }

            Report(context, conversion.Operand, subject + " is boxed: " + Reason(conversion) + (DoesNotEscape(conversion) ? JitNote : ""));
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var instance = invocation.Instance;
            var method = invocation.TargetMethod;
            if (instance is null || !ValueTypes.MayBox(instance.Type) || !ValueTypes.IsObjectMethodHost(method.ContainingType))
            {
                return;
            }

            string subject = ValueTypes.Subject(instance.Syntax, instance.Type);
            if (method.Name == nameof(GetType))
            {
                Report(context, instance, subject + " is boxed: GetType() is not virtual, so the receiver is boxed to call it" + JitNote);
            }
            else if (method.IsVirtual || method.IsOverride)
            {
                // Type parameters get a constrained call, which boxes only for structs that do not override: not reported.
                if (instance.Type is ITypeParameterSymbol)
                {
                    return;
                }

                Report(context, instance, subject + " is boxed: '" + Describe.Type(instance.Type) + "' does not override " + method.Name + "(), so the call reaches " + Describe.Member(method) + " through a boxed copy of the receiver");
            }
        }

        private static void AnalyzeDelegateCreation(OperationAnalysisContext context)
        {
            var creation = (IDelegateCreationOperation)context.Operation;
            if (creation.Target is IMethodReferenceOperation { Method.IsStatic: false, Instance: { } receiver } reference
                && ValueTypes.MayBox(receiver.Type)
                && !reference.Method.IsExtensionMethod)
            {
                Report(context, receiver, ValueTypes.Subject(receiver.Syntax, receiver.Type) + " is boxed: a delegate to the instance method " + Describe.Member(reference.Method) + " holds its receiver as an object");
            }
        }

        private static void AnalyzeInterpolatedString(OperationAnalysisContext context)
        {
            var interpolated = (IInterpolatedStringOperation)context.Operation;
            if (interpolated.Parent is not IConversionOperation { Type: { } target } || !IsFormattable(target))
            {
                return;
            }

            foreach (var part in interpolated.Parts)
            {
                if (part is IInterpolationOperation { Expression: { } hole } && ValueTypes.MayBox(hole.Type) && hole is not IConversionOperation)
                {
                    Report(context, hole, ValueTypes.Subject(hole.Syntax, hole.Type) + " is boxed: a hole of an interpolated string converted to " + Describe.Type(target) + " is stored in its object[] of arguments");
                }
            }
        }

        private static bool IsFormattable(ITypeSymbol type) =>
            type.ContainingNamespace?.Name == "System" && type.ContainingNamespace.ContainingNamespace?.IsGlobalNamespace == true && type.Name is "FormattableString" or "IFormattable";

        private static string Reason(IConversionOperation conversion)
        {
            string target = "'" + Describe.Type(conversion.Type) + "'";
            switch (conversion.Parent)
            {
                case IArgumentOperation { Parameter: { } parameter }:
                    return "argument to parameter '" + parameter.Name + "' (" + Describe.Type(parameter.Type) + ") of " + Describe.Member(parameter.ContainingSymbol);
                case IArrayInitializerOperation { Parent: IArrayCreationOperation { Parent: IArgumentOperation { ArgumentKind: ArgumentKind.ParamArray, Parameter: { } parameter } } }:
                    return "element of the params " + Describe.Type(parameter.Type) + " of " + Describe.Member(parameter.ContainingSymbol);
                case IArrayInitializerOperation:
                    return "element of an array of " + target;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return "stored in '" + declarator.Symbol.Name + "' (" + Describe.Type(declarator.Symbol.Type) + ")";
                case ISimpleAssignmentOperation assignment when assignment.Value == conversion:
                    return "assigned to '" + Describe.Code(assignment.Target.Syntax) + "' (" + Describe.Type(assignment.Target.Type) + ")";
                case IReturnOperation:
                    return "returned as " + target;
                case IInvocationOperation invocation when invocation.Instance == conversion:
                    return "converted to " + target + " to call " + Describe.Member(invocation.TargetMethod);
                case IPropertyReferenceOperation property when property.Instance == conversion:
                    return "converted to " + target + " to read " + Describe.Member(property.Property);
                default:
                    return "converted to " + target + (conversion.IsImplicit ? "" : " by a cast");
            }
        }

        /// <summary><c>t == null</c> on a type parameter: the compiler boxes to compare, and every JIT folds it to a constant.</summary>
        private static bool IsNullTest(IConversionOperation conversion) =>
            conversion.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
            && (binary.LeftOperand == conversion ? binary.RightOperand : binary.LeftOperand) is { ConstantValue: { HasValue: true, Value: null } };

        /// <summary><c>e.HasFlag(E.A)</c> on a concrete enum type: a JIT intrinsic since .NET Core 2.1, no box is made.</summary>
        private static bool IsHasFlagOnConcreteEnum(IConversionOperation conversion) =>
            conversion.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "HasFlag", ContainingType.SpecialType: SpecialType.System_Enum }, Instance.Type.TypeKind: TypeKind.Enum } };

        /// <summary>A box that is only the receiver of a call, or stored in a local used only as a receiver: the object
        /// provably stays in the method (the escape analysis the .NET 10 JIT does).</summary>
        private static bool DoesNotEscape(IConversionOperation conversion)
        {
            if (conversion.Parent is IInvocationOperation invocation && invocation.Instance == conversion)
            {
                return true;
            }

            if (conversion.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
            {
                return false;
            }

            var references = OperationTree.ReferencesTo(declarator.Symbol, conversion);
            return references.Count > 0 && references.All(r => r.Parent is IInvocationOperation call && call.Instance == r && !call.Arguments.Any());
        }

        private static void Report(OperationAnalysisContext context, IOperation at, string message) =>
            context.ReportDiagnostic(Diagnostic.Create(Rule, at.Syntax.GetLocation(), RuleHelp.Sites(Site.Box), message + Loops.Suffix(at)));
    }
}
