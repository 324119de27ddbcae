using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Retention
{
    /// <summary>LA2005: a lambda that lives on (given to <c>Task.Run</c>, a <c>Thread</c>, a <c>Timer</c>, the thread pool,
    /// stored in a field or property, or subscribed to an event) captures a whole array, collection or stream but uses
    /// only a part of it (an element, its length). The closure keeps the whole thing alive as long as the lambda lives:
    /// the seed's goroutine that held a 1,000-element slice to read its first element.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class LongLivedCaptureAnalyzer : DiagnosticAnalyzer
    {
        public const string Id = "LA2005";

        /// <summary>Set (to <c>Length</c> or <c>LongLength</c>) when the lambda reads only that property of a captured
        /// array that nothing can replace and that is never null: reading it before the lambda gives the same value, so the
        /// fix can capture the length instead.</summary>
        public const string HoistablePropertyKey = "HoistableProperty";

        public static readonly DiagnosticDescriptor Rule = new(
            Id,
            "Long-lived lambda captures a whole collection to use a part",
            "The lambda given to {0} captures '{1}' ({2}) but uses only {3}; the closure keeps all of '{1}' alive as long as the lambda lives: copy what it uses into a local and capture that",
            RuleHelp.RetentionCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "A closure holds each captured variable whole. A lambda that outlives the method and needs one element, a count or a length should capture just that value.",
            helpLinkUri: RuleHelp.LinkFor(Id));

        // Reading these through the variable touches a part of it: an element, a count, a flag.
        private static readonly ImmutableHashSet<string> s_partQueries = ImmutableHashSet.Create(
            "First", "FirstOrDefault", "Last", "LastOrDefault", "ElementAt", "ElementAtOrDefault", "Count", "LongCount", "Any");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var compilation = start.Compilation;
                var types = new Types(
                    compilation.GetTypeByMetadataName("System.Threading.Tasks.Task"),
                    compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory"),
                    compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory`1"),
                    compilation.GetTypeByMetadataName("System.Threading.ThreadPool"),
                    compilation.GetTypeByMetadataName("System.Threading.Thread"),
                    compilation.GetTypeByMetadataName("System.Threading.Timer"),
                    compilation.GetTypeByMetadataName("System.IO.Stream"),
                    TypeSets.Resolve(compilation, "System.Collections.ICollection", "System.Collections.Generic.ICollection`1", "System.Collections.Generic.IReadOnlyCollection`1"));
                start.RegisterOperationAction(operationContext => Analyze(operationContext, types), OperationKind.AnonymousFunction);
            });
        }

        private sealed record Types(
            INamedTypeSymbol? Task,
            INamedTypeSymbol? TaskFactory,
            INamedTypeSymbol? GenericTaskFactory,
            INamedTypeSymbol? ThreadPool,
            INamedTypeSymbol? Thread,
            INamedTypeSymbol? Timer,
            INamedTypeSymbol? Stream,
            ImmutableHashSet<ISymbol> CollectionInterfaces);

        private static void Analyze(OperationAnalysisContext context, Types types)
        {
            var lambda = (IAnonymousFunctionOperation)context.Operation;
            if (Host(lambda, types) is not { } host)
            {
                return;
            }

            // Each variable of the enclosing method the lambda reads, with every place it reads it.
            var captured = new Dictionary<ISymbol, List<IOperation>>(SymbolEqualityComparer.Default);
            foreach (var operation in lambda.Body.Descendants())
            {
                var symbol = operation switch
                {
                    ILocalReferenceOperation local => (ISymbol)local.Local,
                    IParameterReferenceOperation parameter => parameter.Parameter,
                    _ => null,
                };
                if (symbol is not null && !IsDeclaredIn(symbol, lambda.Symbol))
                {
                    if (!captured.TryGetValue(symbol, out var uses))
                    {
                        captured[symbol] = uses = new List<IOperation>();
                    }

                    uses.Add(operation);
                }
            }

            foreach (var pair in captured)
            {
                var type = pair.Key is ILocalSymbol local ? local.Type : ((IParameterSymbol)pair.Key).Type;
                if (!IsWholeThing(type, types))
                {
                    continue;
                }

                var parts = new List<string>();
                foreach (var use in pair.Value)
                {
                    if (PartUsed(use) is not { } part)
                    {
                        parts.Clear();
                        break;
                    }

                    if (!parts.Contains(part))
                    {
                        parts.Add(part);
                    }
                }

                if (parts.Count > 0)
                {
                    string used = string.Join(", ", parts.Take(3).Select(p => "'" + p + "'")) + (parts.Count > 3 ? ", ..." : string.Empty);
                    // When the fix applies, it needs the lambda too (the use may sit in a lambda nested in it).
                    var hoistable = HoistableArrayProperty(pair.Key, pair.Value, lambda);
                    context.ReportDiagnostic(Diagnostic.Create(
                        Rule,
                        pair.Value[0].Syntax.GetLocation(),
                        hoistable is null ? null : new[] { lambda.Syntax.GetLocation() },
                        hoistable is null ? null : ImmutableDictionary<string, string?>.Empty.Add(HoistablePropertyKey, hoistable),
                        host,
                        pair.Key.Name,
                        type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                        used));
                }
            }
        }

        /// <summary><c>Length</c> or <c>LongLength</c> when every use in the lambda reads that property of an array, and
        /// the array variable is never written after its declaration anywhere in the member and is not null where the lambda
        /// reads it: then the length read before the lambda is the one the lambda would read (an array's length never
        /// changes). Null otherwise: an element, a count or a stream's length may change between creation and run.</summary>
        private static string? HoistableArrayProperty(ISymbol variable, List<IOperation> uses, IAnonymousFunctionOperation lambda)
        {
            if (variable is not (ILocalSymbol { IsRef: false, Type: IArrayTypeSymbol } or IParameterSymbol { RefKind: RefKind.None, Type: IArrayTypeSymbol }))
            {
                return null;
            }

            string? name = null;
            foreach (var use in uses)
            {
                // Plainly 'data.Length': not 'data!.Length' (the author says it may be null), not '(data).Length'.
                if (use.Parent is not IPropertyReferenceOperation { Property: { ContainingType.SpecialType: SpecialType.System_Array, Name: "Length" or "LongLength" } property }
                    || use.Syntax.Parent is not MemberAccessExpressionSyntax { Expression: var accessed }
                    || accessed != use.Syntax
                    || (name is not null && name != property.Name))
                {
                    return null;
                }

                name = property.Name;
            }

            // Not null: made by 'new T[n]' where declared (and never written again, checked below), or so by the compiler's
            // nullable analysis where the lambda reads it.
            var variables = MemberVariables.Of(lambda);
            bool notNull = uses[0].SemanticModel?.GetTypeInfo(uses[0].Syntax).Nullability.FlowState == NullableFlowState.NotNull
                || variables.InitializerOf(variable) is IArrayCreationOperation;
            if (!variables.ReferencesTo(variable).All(IsPlainRead))
            {
                return null;
            }

            return notNull ? name : null;
        }

        /// <summary>The references to each local and parameter of a member and the initializers of its locals, from one walk
        /// per member: walking the member for each lambda made long methods quadratic.</summary>
        private sealed class MemberVariables
        {
            private static readonly ConditionalWeakTable<IOperation, MemberVariables> s_byRoot = new();
            private static readonly ConditionalWeakTable<IOperation, MemberVariables>.CreateValueCallback s_walk = root => new MemberVariables(root);

            private readonly Dictionary<ISymbol, List<IOperation>> _references = new(SymbolEqualityComparer.Default);
            private readonly Dictionary<ISymbol, IOperation?> _initializers = new(SymbolEqualityComparer.Default);

            private MemberVariables(IOperation root)
            {
                foreach (var operation in root.Descendants())
                {
                    if (operation is IVariableDeclaratorOperation declarator)
                    {
                        _initializers[declarator.Symbol] = WithoutConversions(declarator.GetVariableInitializer()?.Value);
                    }

                    var referenced = operation switch
                    {
                        ILocalReferenceOperation local => (ISymbol)local.Local,
                        IParameterReferenceOperation parameter => parameter.Parameter,
                        _ => null,
                    };
                    if (referenced is not null)
                    {
                        if (!_references.TryGetValue(referenced, out var list))
                        {
                            _references[referenced] = list = new List<IOperation>();
                        }

                        list.Add(operation);
                    }
                }
            }

            /// <summary>The variables of the member that holds <paramref name="operation"/>.</summary>
            public static MemberVariables Of(IOperation operation)
            {
                while (operation.Parent is not null)
                {
                    operation = operation.Parent;
                }

                return s_byRoot.GetValue(operation, s_walk);
            }

            public IReadOnlyList<IOperation> ReferencesTo(ISymbol variable) =>
                _references.TryGetValue(variable, out var list) ? list : (IReadOnlyList<IOperation>)System.Array.Empty<IOperation>();

            /// <summary>The value a local is declared with, conversions removed; null for parameters and uninitialized locals.</summary>
            public IOperation? InitializerOf(ISymbol variable) => _initializers.TryGetValue(variable, out var value) ? value : null;
        }

        private static IOperation? WithoutConversions(IOperation? operation)
        {
            while (operation is IConversionOperation conversion)
            {
                operation = conversion.Operand;
            }

            return operation;
        }

        /// <summary>Whether this reference to a variable only reads its value: not a write, not a ref or out argument, not a
        /// ref alias, not a tuple that may be a deconstruction target.</summary>
        private static bool IsPlainRead(IOperation reference) => reference.Parent switch
        {
            ISimpleAssignmentOperation { IsRef: true } => false,
            IAssignmentOperation assignment => assignment.Target != reference,
            IIncrementOrDecrementOperation or ITupleOperation or IAddressOfOperation or IConditionalOperation { IsRef: true } => false,
            IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.None or RefKind.In,
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => !declarator.Symbol.IsRef,
            _ => true,
        };

        /// <summary>What keeps the lambda alive after the method returns, described for the message; null if nothing known does.</summary>
        private static string? Host(IAnonymousFunctionOperation lambda, Types types)
        {
            IOperation? user = lambda.Parent;
            while (user is IDelegateCreationOperation or IConversionOperation)
            {
                user = user.Parent;
            }

            switch (user)
            {
                case IArgumentOperation { Parent: IInvocationOperation invocation }:
                    var method = invocation.TargetMethod;
                    var container = method.ContainingType?.OriginalDefinition;
                    if (method.Name == "Run" && Is(container, types.Task))
                    {
                        return "Task.Run";
                    }

                    if (method.Name == "StartNew" && (Is(container, types.TaskFactory) || Is(container, types.GenericTaskFactory)))
                    {
                        return "TaskFactory.StartNew";
                    }

                    if (method.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" && Is(container, types.ThreadPool))
                    {
                        return "ThreadPool." + method.Name;
                    }

                    return null;
                case IArgumentOperation { Parent: IObjectCreationOperation creation }:
                    var created = creation.Type?.OriginalDefinition;
                    return Is(created, types.Thread) ? "a new Thread" : Is(created, types.Timer) ? "a Timer" : null;
                case ISimpleAssignmentOperation { Target: IFieldReferenceOperation field }:
                    return "field '" + field.Field.Name + "'";
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: false } property }:
                    return "property '" + property.Property.Name + "'";
                case IEventAssignmentOperation { Adds: true, EventReference: IEventReferenceOperation handler }:
                    return "event '" + handler.Event.Name + "'";
                default:
                    return null;
            }
        }

        private static bool Is(ISymbol? type, INamedTypeSymbol? expected) => expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);

        private static bool IsDeclaredIn(ISymbol variable, IMethodSymbol function)
        {
            for (var symbol = variable.ContainingSymbol; symbol is not null; symbol = symbol.ContainingSymbol)
            {
                if (SymbolEqualityComparer.Default.Equals(symbol, function))
                {
                    return true;
                }

                if (symbol is not IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary>An array, a collection or a stream: things that are big as a whole.</summary>
        private static bool IsWholeThing(ITypeSymbol type, Types types)
        {
            if (type is IArrayTypeSymbol)
            {
                return true;
            }

            for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
            {
                if (Is(current, types.Stream))
                {
                    return true;
                }
            }

            return types.CollectionInterfaces.Contains(type.OriginalDefinition)
                || type.AllInterfaces.Any(i => types.CollectionInterfaces.Contains(i.OriginalDefinition));
        }

        /// <summary>The part of the variable this reference reads (<c>data[0]</c>, <c>data.Length</c>), or null when it
        /// uses the variable whole (passes it on, enumerates it, writes into it).</summary>
        private static string? PartUsed(IOperation reference)
        {
            var parent = reference.Parent;
            switch (parent)
            {
                case IArrayElementReferenceOperation element when element.ArrayReference == reference && IsRead(element):
                    return CodeText.Of(element);
                case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when indexer.Instance == reference && IsRead(indexer):
                    return CodeText.Of(indexer);
                case IPropertyReferenceOperation property when property.Instance == reference && property.Type?.IsValueType == true && IsRead(property):
                    return CodeText.Of(property);
            }

            // data.First(), through the conversion to IEnumerable<T> and the argument.
            while (parent is IConversionOperation)
            {
                parent = parent.Parent;
            }

            return parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.IsExtensionMethod: true } query } argument
                && query.Arguments[0] == argument
                && s_partQueries.Contains(query.TargetMethod.Name)
                ? CodeText.Of(query)
                : null;
        }

        /// <summary>Whether the element or property is only read (not assigned, incremented or passed by reference).</summary>
        private static bool IsRead(IOperation access) => access.Parent switch
        {
            IAssignmentOperation assignment => assignment.Target != access,
            IIncrementOrDecrementOperation => false,
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => false,
            _ => true,
        };
    }
}
