using System.Collections.Immutable;
using System.Linq;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Analyzers
{
    /// <summary>LA0004: in audited code, a struct larger than the threshold copied where a small one would be:
    /// passed or returned by value, stored in a <c>List&lt;T&gt;</c> or as a <c>Dictionary&lt;K,V&gt;</c> value,
    /// copied by <c>foreach</c>, or copied defensively before a non-readonly member call on a readonly place.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class LargeStructAnalyzer : DiagnosticAnalyzer
    {
        public const string Id = "LA0004";

        private const string Title = "Large struct used as if small";
        private const string Description = "A struct larger than the threshold (16 bytes by default, the .NET Framework Design Guidelines' limit) costs a copy of all its bytes wherever it is used by value.";
        private const string HelpLink = "https://github.com/layoutaudit/layoutaudit/blob/main/docs/rules/LA0004.md";

        public static readonly DiagnosticDescriptor ParameterByValue = new(
            Id,
            Title,
            "Parameter '{0}' copies '{1}' ({2} bytes, over the {3}-byte threshold) on every call: pass it as 'in' or 'ref readonly', or make '{1}' a class",
            RuleHelp.PerformanceCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: Description,
            helpLinkUri: HelpLink);

        public static readonly DiagnosticDescriptor ReturnByValue = new(
            Id,
            Title,
            "'{0}' returns '{1}' ({2} bytes, over the {3}-byte threshold) by value, a copy on every call: return a 'ref readonly' to where it lives, or make '{1}' a class",
            RuleHelp.PerformanceCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: Description,
            helpLinkUri: HelpLink);

        public static readonly DiagnosticDescriptor CollectionElement = new(
            Id,
            Title,
            "'{0}' stores '{1}' ({2} bytes, over the {3}-byte threshold) by value: every read copies it out and every resize copies them all; store a class, or keep them in an array and use them by ref",
            RuleHelp.PerformanceCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: Description,
            helpLinkUri: HelpLink);

        public static readonly DiagnosticDescriptor ForEachCopy = new(
            Id,
            Title,
            "'foreach' copies each '{0}' ({1} bytes, over the {2}-byte threshold) into '{3}': iterate over a span with 'ref readonly var' instead",
            RuleHelp.PerformanceCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: Description,
            helpLinkUri: HelpLink);

        public static readonly DiagnosticDescriptor DefensiveCopy = new(
            Id,
            Title,
            "Calling '{0}' on the readonly '{1}' first copies the whole '{2}' ({3} bytes, over the {4}-byte threshold): mark '{0}' readonly, or make '{2}' a readonly struct",
            RuleHelp.PerformanceCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: Description,
            helpLinkUri: HelpLink);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(ParameterByValue, ReturnByValue, CollectionElement, ForEachCopy, DefensiveCopy);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var scope = AuditScope.For(start.Compilation, start.Options);
                if (scope is null)
                {
                    return;
                }

                var list = start.Compilation.GetTypeByMetadataName("System.Collections.Generic.List`1");
                var dictionary = start.Compilation.GetTypeByMetadataName("System.Collections.Generic.Dictionary`2");
                var sizes = new StructSizes(start.Compilation);
                start.RegisterSymbolAction(context => AnalyzeSignature(context, scope, sizes), SymbolKind.Method);
                start.RegisterOperationAction(context => AnalyzeCreation(context, scope, sizes, list, dictionary), OperationKind.ObjectCreation, OperationKind.CollectionExpression);
                start.RegisterOperationAction(context => AnalyzeForEach(context, scope, sizes), OperationKind.Loop);
                start.RegisterOperationAction(context => AnalyzeMemberAccess(context, scope, sizes), OperationKind.Invocation, OperationKind.PropertyReference);
            });
        }

        private static void AnalyzeSignature(SymbolAnalysisContext context, AuditScope scope, StructSizes sizes)
        {
            var method = (IMethodSymbol)context.Symbol;
            if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.Constructor or MethodKind.UserDefinedOperator or MethodKind.Conversion)
                || method.IsImplicitlyDeclared || method.IsOverride || method.IsExtern || !method.ExplicitInterfaceImplementations.IsEmpty
                || method.Locations.FirstOrDefault(l => l.IsInSource) is not { } location
                || !scope.Contains(method, location.SourceTree))
            {
                return;
            }

            // The signature is not the author's to change when it implements an interface member.
            bool? implementsInterface = null;
            bool ImplementsInterface() => implementsInterface ??= method.ContainingType.AllInterfaces
                .SelectMany(i => i.GetMembers())
                .Any(m => SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(m), method));

            // 'in' parameters are not allowed in async methods and iterators.
            bool canTakeIn = !method.IsAsync && !IsIteratorLike(method.ReturnType);
            foreach (var parameter in method.Parameters)
            {
                if (canTakeIn && parameter.RefKind == RefKind.None && sizes.LargeSize(parameter.Type, parameter.Locations.FirstOrDefault()?.SourceTree, context.Options, context.CancellationToken) is { } size
                    && !ImplementsInterface())
                {
                    context.ReportDiagnostic(Diagnostic.Create(ParameterByValue, parameter.Locations.FirstOrDefault() ?? location, parameter.Name, Show(parameter.Type), size.Bytes, size.Threshold));
                }
            }

            if (method.MethodKind == MethodKind.Ordinary && !method.ReturnsByRef && !method.ReturnsByRefReadonly
                && sizes.LargeSize(method.ReturnType, location.SourceTree, context.Options, context.CancellationToken) is { } returned
                && !ImplementsInterface())
            {
                context.ReportDiagnostic(Diagnostic.Create(ReturnByValue, location, method.Name, Show(method.ReturnType), returned.Bytes, returned.Threshold));
            }
        }

        private static void AnalyzeCreation(OperationAnalysisContext context, AuditScope scope, StructSizes sizes, INamedTypeSymbol? list, INamedTypeSymbol? dictionary)
        {
            if (context.Operation.Type is not INamedTypeSymbol { IsGenericType: true } created || !scope.Contains(context.ContainingSymbol, context.Operation.Syntax.SyntaxTree))
            {
                return;
            }

            ITypeSymbol? element = null;
            if (list is not null && SymbolEqualityComparer.Default.Equals(created.OriginalDefinition, list))
            {
                element = created.TypeArguments[0];
            }
            else if (dictionary is not null && SymbolEqualityComparer.Default.Equals(created.OriginalDefinition, dictionary))
            {
                element = created.TypeArguments[1];
            }

            if (element is not null && sizes.LargeSize(element, context.Operation.Syntax.SyntaxTree, context.Options, context.CancellationToken) is { } size)
            {
                context.ReportDiagnostic(Diagnostic.Create(CollectionElement, context.Operation.Syntax.GetLocation(), Show(created), Show(element), size.Bytes, size.Threshold));
            }
        }

        private static void AnalyzeForEach(OperationAnalysisContext context, AuditScope scope, StructSizes sizes)
        {
            if (context.Operation is not IForEachLoopOperation loop
                || loop.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: { RefKind: RefKind.None } variable } declarator
                || !scope.Contains(context.ContainingSymbol, loop.Syntax.SyntaxTree))
            {
                return;
            }

            if (sizes.LargeSize(variable.Type, loop.Syntax.SyntaxTree, context.Options, context.CancellationToken) is { } size)
            {
                var at = loop.Syntax is ForEachStatementSyntax statement ? statement.Identifier.GetLocation() : declarator.Syntax.GetLocation();
                context.ReportDiagnostic(Diagnostic.Create(ForEachCopy, at, Show(variable.Type), size.Bytes, size.Threshold, variable.Name));
            }
        }

        private static void AnalyzeMemberAccess(OperationAnalysisContext context, AuditScope scope, StructSizes sizes)
        {
            (IOperation? instance, IMethodSymbol? member) = context.Operation switch
            {
                IInvocationOperation invocation => (invocation.Instance, invocation.TargetMethod),
                IPropertyReferenceOperation property => (property.Instance, property.Property.GetMethod),
                _ => (null, null),
            };

            if (instance?.Type is not { IsValueType: true, IsReadOnly: false } structType
                || member is null || member.IsStatic || member.IsReadOnly
                || !SymbolEqualityComparer.Default.Equals(member.ContainingType, structType)
                || ReadOnlyPlace(instance, context.ContainingSymbol) is not { } place
                || !scope.Contains(context.ContainingSymbol, context.Operation.Syntax.SyntaxTree))
            {
                return;
            }

            if (sizes.LargeSize(structType, context.Operation.Syntax.SyntaxTree, context.Options, context.CancellationToken) is { } size)
            {
                string memberName = member.AssociatedSymbol?.Name ?? member.Name;
                context.ReportDiagnostic(Diagnostic.Create(DefensiveCopy, context.Operation.Syntax.GetLocation(), memberName, place, Show(structType), size.Bytes, size.Threshold));
            }
        }

        /// <summary>The name of the readonly place the instance is read from (the compiler copies it before a call that
        /// could mutate it), or null when the call works on the original.</summary>
        private static string? ReadOnlyPlace(IOperation instance, ISymbol containing)
        {
            switch (instance)
            {
                case IFieldReferenceOperation { Field: { IsReadOnly: true } field } reference:
                    // Inside its own type's constructors a readonly field is writable: no copy.
                    bool inConstructor = containing is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor
                        && SymbolEqualityComparer.Default.Equals(constructor.ContainingType, field.ContainingType)
                        && constructor.IsStatic == field.IsStatic
                        && (field.IsStatic || reference.Instance is IInstanceReferenceOperation);
                    return inConstructor ? null : field.Name;
                case IParameterReferenceOperation { Parameter: { RefKind: RefKind.In or RefKind.RefReadOnlyParameter } parameter }:
                    return parameter.Name;
                case ILocalReferenceOperation { Local: { RefKind: RefKind.RefReadOnly } local }:
                    return local.Name;
                default:
                    return null;
            }
        }

        private static bool IsIteratorLike(ITypeSymbol returnType) =>
            returnType.OriginalDefinition.SpecialType is SpecialType.System_Collections_Generic_IEnumerable_T or SpecialType.System_Collections_Generic_IEnumerator_T
                or SpecialType.System_Collections_IEnumerable or SpecialType.System_Collections_IEnumerator
            || returnType.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.IAsyncEnumerable<T>" or "System.Collections.Generic.IAsyncEnumerator<T>";

        private static string Show(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

        /// <summary>Struct sizes from the layout engine, compared with the threshold in force for a file.</summary>
        private sealed class StructSizes
        {
            private readonly Compilation _compilation;

            public StructSizes(Compilation compilation) => _compilation = compilation;

            public (int Bytes, int Threshold)? LargeSize(ITypeSymbol type, SyntaxTree? tree, AnalyzerOptions options, System.Threading.CancellationToken cancellationToken)
            {
                if (type is not INamedTypeSymbol { TypeKind: TypeKind.Struct, SpecialType: SpecialType.None } named)
                {
                    return null;
                }

                if (LayoutEngine.For(_compilation).Compute(named, cancellationToken).Layout is not { } layout)
                {
                    return null;
                }

                int threshold = AnalyzerSettings.GetPositiveInt(options, tree, AnalyzerSettings.LargeStructThresholdKey, AnalyzerSettings.DefaultLargeStructThreshold);
                return layout.Size > threshold ? (layout.Size, threshold) : null;
            }
        }
    }
}
