using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Allocations
{
    /// <summary>LA1006: a new string built by concatenation (<c>+</c>, <c>+=</c>), by an interpolated string whose target
    /// is <c>string</c> or <c>FormattableString</c>, by <c>string.Concat</c>/<c>Format</c>/<c>Join</c>, or by
    /// <c>ToString()</c> inside a loop. Interpolation into spans or custom handlers writes in place and is not reported.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class StringBuildingAnalyzer : AllocationAnalyzer
    {
        public const string Id = "LA1006";

        /// <summary>Above this many operands the compiler passes a string[] to String.Concat.</summary>
        private const int MaxConcatOperandsWithoutArray = 4;

        public static readonly DiagnosticDescriptor Rule = RuleHelp.Rule(
            Id,
            "String built",
            "Concatenation, interpolation into string, string.Format/Join and ToString() each allocate a new string (and sometimes an array or the operands' own strings).");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        internal override void Register(CompilationStartAnalysisContext start, AllocationScope scope)
        {
            start.RegisterOperationAction(scope.Only(o => IsConcat(o), AnalyzeBinary), OperationKind.Binary);
            start.RegisterOperationAction(scope.Only(AnalyzeCompound), OperationKind.CompoundAssignment);
            start.RegisterOperationAction(scope.Only(AnalyzeInterpolatedString), OperationKind.InterpolatedString);
            start.RegisterOperationAction(scope.Only(o => ((IInvocationOperation)o).TargetMethod.Name is "Concat" or "Format" or "Join" or "ToString", AnalyzeInvocation), OperationKind.Invocation);
        }

        private static void AnalyzeBinary(OperationAnalysisContext context)
        {
            var binary = (IBinaryOperation)context.Operation;
            if (!IsConcat(binary) || IsConcat(binary.Parent) || binary.ConstantValue.HasValue || binary.Parent is ICompoundAssignmentOperation)
            {
                return;
            }

            var operands = new List<IOperation>();
            Flatten(binary, operands);
            ReportConcat(context, binary, operands, "concatenation");
        }

        private static void AnalyzeCompound(OperationAnalysisContext context)
        {
            var compound = (ICompoundAssignmentOperation)context.Operation;
            if (compound.OperatorKind != BinaryOperatorKind.Add || compound.Type?.SpecialType != SpecialType.System_String)
            {
                return;
            }

            var operands = new List<IOperation> { compound.Target };
            Flatten(compound.Value, operands);
            ReportConcat(context, compound, operands, "'+=' concatenation");
        }

        private static void ReportConcat(OperationAnalysisContext context, IOperation at, List<IOperation> operands, string what)
        {
            // Constants fold together; null and "" vanish; each non-string operand becomes a string through ToString().
            var kept = new List<IOperation>();
            foreach (var operand in operands)
            {
                if (operand.ConstantValue is { HasValue: true, Value: null or "" })
                {
                    continue;
                }

                if (operand.ConstantValue.HasValue && kept.Count > 0 && kept[kept.Count - 1].ConstantValue.HasValue)
                {
                    continue;
                }

                kept.Add(operand);
            }

            var converted = kept.Where(o => Unwrap(o).Type?.SpecialType != SpecialType.System_String && !o.ConstantValue.HasValue && Unwrap(o).Type?.SpecialType != SpecialType.System_Char).ToList();
            var sites = new List<string> { Site.String };
            sites.AddRange(converted.Select(_ => Site.String));
            string extra = converted.Count == 0 ? "" : " plus one for ToString() of " + Describe.List(converted.Select(o => "'" + Describe.Code(Unwrap(o).Syntax) + "'").ToList());
            if (kept.Count > MaxConcatOperandsWithoutArray)
            {
                sites.Add(Site.Array);
                extra += ", and a string[" + kept.Count + "] to pass the " + kept.Count + " parts to String.Concat";
            }

            Report(context, at, "String built: " + what + " allocates a new string" + extra + Loops.Suffix(at) + "; use a StringBuilder, a span, or string.Create for hot paths", sites.ToArray());
        }

        private static void AnalyzeInterpolatedString(OperationAnalysisContext context)
        {
            var interpolated = (IInterpolatedStringOperation)context.Operation;
            if (interpolated.ConstantValue.HasValue || IsConcat(interpolated.Parent))
            {
                return;
            }

            var target = interpolated.Parent is IConversionOperation { Type: { } type } ? type : interpolated.Type;
            if (target?.SpecialType == SpecialType.System_String || interpolated.Parent is not IConversionOperation)
            {
                if (interpolated.Type?.SpecialType == SpecialType.System_String && interpolated.Parent is not IInterpolatedStringHandlerCreationOperation)
                {
                    Report(context, interpolated, "String built: an interpolated string whose target is 'string' allocates a new string" + Loops.Suffix(interpolated) + "; interpolating into a span (TryWrite) or a StringBuilder does not", Site.String);
                }

                return;
            }

            if (target is { Name: "FormattableString" or "IFormattable" })
            {
                int holes = interpolated.Parts.OfType<IInterpolationOperation>().Count();
                Report(context, interpolated, "String built: an interpolated string converted to '" + Describe.Type(target) + "' allocates an object[" + holes + "] for its holes and the FormattableString that holds it" + Loops.Suffix(interpolated), Site.Array);
            }
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (method.ContainingType?.SpecialType == SpecialType.System_String && method.IsStatic && method.Name is "Concat" or "Format" or "Join")
            {
                Report(context, invocation, "String built: string." + method.Name + " allocates a new string" + Loops.Suffix(invocation), Site.String);
                return;
            }

            if (method.Name == "ToString" && !method.IsStatic && Loops.Enclosing(invocation) is { } loop && method.ReturnType.SpecialType == SpecialType.System_String)
            {
                Report(context, invocation, "String built: " + Describe.Member(method) + " allocates a new string on every iteration of " + Loops.Name(loop) + "; format into a reused buffer (TryFormat into a span) instead", Site.String);
            }
        }

        private static bool IsConcat(IOperation? operation) =>
            operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String };

        private static void Flatten(IOperation operation, List<IOperation> operands)
        {
            if (IsConcat(operation) && !operation.ConstantValue.HasValue)
            {
                var binary = (IBinaryOperation)operation;
                Flatten(binary.LeftOperand, operands);
                Flatten(binary.RightOperand, operands);
            }
            else
            {
                operands.Add(operation);
            }
        }

        private static IOperation Unwrap(IOperation operation) => operation is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : operation;

        private static void Report(OperationAnalysisContext context, IOperation at, string message, params string[] sites) =>
            context.ReportDiagnostic(Diagnostic.Create(Rule, at.Syntax.GetLocation(), RuleHelp.Sites(sites), message));
    }
}
