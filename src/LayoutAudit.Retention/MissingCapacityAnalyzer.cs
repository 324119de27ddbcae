using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Retention
{
    /// <summary>LA2006: <c>new List&lt;T&gt;()</c>, <c>new Dictionary&lt;K, V&gt;()</c>, <c>new HashSet&lt;T&gt;()</c> or
    /// <c>new StringBuilder()</c> filled in a loop whose count is known before the loop. Without a capacity the
    /// collection starts small and grows by copying into larger arrays, leaving each old one as garbage: the seed's
    /// "pre-allocate slices and maps" (<c>make([]T, 0, n)</c>).</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MissingCapacityAnalyzer : DiagnosticAnalyzer
    {
        public const string Id = "LA2006";

        /// <summary>Diagnostic property: the member of the loop's source that counts it ("Length", "Count"), or "" when
        /// the count is a <c>for</c> bound (the first additional location either way).</summary>
        public const string CountMemberKey = "CountMember";

        /// <summary>Diagnostic property: "true" when the <c>for</c> loop runs to its bound inclusive (<c>i &lt;= n</c>).</summary>
        public const string InclusiveKey = "Inclusive";

        /// <summary>Diagnostic property: items (or characters) added per iteration, when more than one.</summary>
        public const string PerIterationKey = "PerIteration";

        /// <summary>Diagnostic property present when the count can be written where the collection is created.</summary>
        public const string FixableKey = "Fixable";

        public static readonly DiagnosticDescriptor Rule = new(
            Id,
            "Collection filled in a counted loop without a capacity",
            "'{0}' is filled in a loop whose count is known ({1}) but starts with the default capacity, growing and copying as it fills: pass the capacity",
            RuleHelp.PerformanceCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "List<T>, Dictionary<TKey, TValue>, HashSet<T> and StringBuilder grow by allocating larger storage and copying. When the number of items is known before the loop that adds them, passing it as the capacity allocates once.",
            helpLinkUri: RuleHelp.LinkFor(Id));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var compilation = start.Compilation;
                var types = new Types(
                    compilation.GetTypeByMetadataName("System.Collections.Generic.List`1"),
                    compilation.GetTypeByMetadataName("System.Collections.Generic.Dictionary`2"),
                    compilation.GetTypeByMetadataName("System.Collections.Generic.HashSet`1"),
                    compilation.GetTypeByMetadataName("System.Text.StringBuilder"),
                    TypeSets.Resolve(compilation, "System.Collections.ICollection", "System.Collections.Generic.ICollection`1", "System.Collections.Generic.IReadOnlyCollection`1"));
                if (types.List is not null || types.Dictionary is not null || types.HashSet is not null || types.StringBuilder is not null)
                {
                    // A block action, not a loop action: the diagnostic sits on the creation, outside the loop, and must stay
                    // local to the member for the IDE to offer the fix.
                    start.RegisterOperationBlockAction(blockContext => AnalyzeBlocks(blockContext, types));
                }
            });
        }

        private sealed record Types(INamedTypeSymbol? List, INamedTypeSymbol? Dictionary, INamedTypeSymbol? HashSet, INamedTypeSymbol? StringBuilder, ImmutableHashSet<ISymbol> CollectionInterfaces)
        {
            public bool IsStringBuilder(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, StringBuilder);

            public bool IsSizedCollection(ITypeSymbol? type)
            {
                var definition = type?.OriginalDefinition;
                return SymbolEqualityComparer.Default.Equals(definition, List)
                    || SymbolEqualityComparer.Default.Equals(definition, Dictionary)
                    || SymbolEqualityComparer.Default.Equals(definition, HashSet);
            }
        }

        /// <summary>The loop's count: <paramref name="Source"/> and the member that counts it, or a <c>for</c> bound.</summary>
        private sealed record LoopCount(IOperation Source, string Member, bool Inclusive)
        {
            public string Describe() => CodeText.Of(Source) + (Member.Length > 0 ? "." + Member : string.Empty) + (Inclusive ? " + 1" : string.Empty);
        }

        private static void AnalyzeBlocks(OperationBlockAnalysisContext context, Types types)
        {
            foreach (var root in context.OperationBlocks)
            {
                MemberLocals? locals = null;
                foreach (var loop in root.Descendants().OfType<ILoopOperation>())
                {
                    Analyze(context, loop, types, () => locals ??= new MemberLocals(root, types));
                }
            }
        }

        private static void Analyze(OperationBlockAnalysisContext context, ILoopOperation loop, Types types, Func<MemberLocals> memberLocals)
        {
            var count = loop switch
            {
                IForEachLoopOperation forEach => CountOf(forEach, types),
                IForLoopOperation forLoop => CountOf(forLoop),
                _ => null,
            };
            if (count is null || LeavesEarly(loop))
            {
                return;
            }

            // Collections filled by a statement of the loop body itself: each runs exactly once per iteration.
            var perIteration = new Dictionary<ILocalSymbol, int>(SymbolEqualityComparer.Default);
            var bodyStatements = loop.Body is IBlockOperation block ? block.Operations : ImmutableArray.Create(loop.Body);
            foreach (var statement in bodyStatements)
            {
                if (statement is IExpressionStatementOperation { Operation: var expression } && Filled(expression, types) is { } filled)
                {
                    perIteration.TryGetValue(filled.Collection, out int added);
                    perIteration[filled.Collection] = filled.Added is int known && added >= 0 ? added + known : -1;
                }
            }

            if (perIteration.Count == 0)
            {
                return;
            }

            var locals = memberLocals();
            foreach (var pair in perIteration)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (pair.Value <= 0)
                {
                    continue; // a StringBuilder append whose length is not known
                }

                var creation = CapacityLessCreation(pair.Key, loop, locals);
                if (creation is null
                    || RepeatedAroundLoop(loop, creation)
                    || !OnlyFilledBy(pair.Key, loop, locals, types, countInLoop: CountFills(loop.Body, pair.Key, types)))
                {
                    continue;
                }

                bool fixable = IsAvailableAt(count.Source, creation.Syntax.SpanStart);
                var properties = ImmutableDictionary<string, string?>.Empty
                    .Add(CountMemberKey, count.Member)
                    .Add(InclusiveKey, count.Inclusive ? "true" : "false")
                    .Add(PerIterationKey, pair.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (fixable)
                {
                    properties = properties.Add(FixableKey, "true");
                }

                string described = count.Describe();
                if (pair.Value > 1)
                {
                    described = (described.Contains(" ") ? "(" + described + ")" : described) + " * " + pair.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                context.ReportDiagnostic(Diagnostic.Create(Rule, creation.Syntax.GetLocation(), new[] { count.Source.Syntax.GetLocation() }, properties, pair.Key.Name, described));
            }
        }

        /// <summary>Whether the loop sits in another loop, a lambda or a local function that the collection was created
        /// outside of: then it may run many times and fill the collection with more than its count.</summary>
        private static bool RepeatedAroundLoop(ILoopOperation loop, IOperation creation)
        {
            for (var ancestor = loop.Parent; ancestor is not null; ancestor = ancestor.Parent)
            {
                if (ancestor.Syntax.Span.Contains(creation.Syntax.Span))
                {
                    return false;
                }

                if (ancestor is ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary><c>foreach (var x in items)</c>: items.Length or items.Count, when items is a variable or a property of one.</summary>
        private static LoopCount? CountOf(IForEachLoopOperation loop, Types types)
        {
            var source = Storage.WithoutConversions(loop.Collection);
            if (source is null || !IsStable(source) || source.Type is null)
            {
                return null;
            }

            if (source.Type is IArrayTypeSymbol { Rank: 1 } || source.Type.SpecialType == SpecialType.System_String)
            {
                return new LoopCount(source, "Length", Inclusive: false);
            }

            bool isCollection = types.CollectionInterfaces.Contains(source.Type.OriginalDefinition)
                || source.Type.AllInterfaces.Any(i => types.CollectionInterfaces.Contains(i.OriginalDefinition));
            if (isCollection && HasIntProperty(source.Type, "Count"))
            {
                return new LoopCount(source, "Count", Inclusive: false);
            }

            // Spans and ImmutableArray<T> count with Length.
            return (isCollection || source.Type.IsRefLikeType) && HasIntProperty(source.Type, "Length") ? new LoopCount(source, "Length", Inclusive: false) : null;
        }

        /// <summary><c>for (int i = 0; i &lt; n; i++)</c> with <c>n</c> unchanged by the body: n (n + 1 for <c>&lt;=</c>).</summary>
        private static LoopCount? CountOf(IForLoopOperation loop)
        {
            if (loop.Condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } condition
                || Storage.WithoutConversions(condition.LeftOperand) is not ILocalReferenceOperation { Local: var counter }
                || !StartsAtZero(loop, counter)
                || !StepsByOne(loop, counter)
                || !IsCountExpression(condition.RightOperand))
            {
                return null;
            }

            // Neither the counter nor anything the bound reads may change inside the body.
            var boundVariables = new HashSet<ISymbol>(condition.RightOperand.DescendantsAndSelf().Select(Storage.Of).Where(s => s is not null)!, SymbolEqualityComparer.Default) { counter };
            bool changed = loop.Body.Descendants().Any(operation => WrittenVariable(operation) is { } written && boundVariables.Contains(written));
            return changed ? null : new LoopCount(condition.RightOperand, string.Empty, condition.OperatorKind == BinaryOperatorKind.LessThanOrEqual);
        }

        private static bool StartsAtZero(IForLoopOperation loop, ILocalSymbol counter)
        {
            foreach (var before in loop.Before)
            {
                foreach (var operation in before.DescendantsAndSelf())
                {
                    var start = operation switch
                    {
                        IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, counter) => declarator.Initializer?.Value,
                        ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, counter) => assignment.Value,
                        _ => null,
                    };
                    if (start is not null)
                    {
                        return start.ConstantValue is { HasValue: true, Value: 0 };
                    }
                }
            }

            return false;
        }

        private static bool StepsByOne(IForLoopOperation loop, ILocalSymbol counter) =>
            loop.AtLoopBottom.Length == 1
            && (loop.AtLoopBottom[0] is IExpressionStatementOperation { Operation: var step } ? step : loop.AtLoopBottom[0]) switch
            {
                IIncrementOrDecrementOperation { Kind: OperationKind.Increment, Target: ILocalReferenceOperation target } => SymbolEqualityComparer.Default.Equals(target.Local, counter),
                ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target: ILocalReferenceOperation target, Value.ConstantValue: { HasValue: true, Value: 1 } } =>
                    SymbolEqualityComparer.Default.Equals(target.Local, counter),
                _ => false,
            };

        /// <summary>Constants, variables, their Length/Count, and arithmetic on those: nothing with effects.</summary>
        private static bool IsCountExpression(IOperation operation) => Storage.WithoutConversions(operation) switch
        {
            { ConstantValue.HasValue: true } => true,
            ILocalReferenceOperation or IParameterReferenceOperation => true,
            IFieldReferenceOperation field => field.Instance is null or IInstanceReferenceOperation || (field.Instance is { } instance && IsCountExpression(instance)),
            IPropertyReferenceOperation { Arguments.IsEmpty: true } property => property.Instance is null or IInstanceReferenceOperation || (property.Instance is { } instance && IsCountExpression(instance)),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide } binary =>
                IsCountExpression(binary.LeftOperand) && IsCountExpression(binary.RightOperand),
            _ => false,
        };

        /// <summary>A variable (or a property of one) that reading twice gives the same object.</summary>
        private static bool IsStable(IOperation source) =>
            Storage.Of(source) is not null
            || (source is IPropertyReferenceOperation { Arguments.IsEmpty: true } property && (property.Instance is null or IInstanceReferenceOperation || Storage.Of(property.Instance) is not null));

        private static bool HasIntProperty(ITypeSymbol type, string name)
        {
            var candidates = type.TypeKind == TypeKind.Interface ? new[] { type }.Concat(type.AllInterfaces) : BaseTypes(type);
            return candidates.SelectMany(t => t.GetMembers(name)).OfType<IPropertySymbol>()
                .Any(p => !p.IsStatic && p.DeclaredAccessibility == Accessibility.Public && p.Type.SpecialType == SpecialType.System_Int32 && p.Parameters.IsEmpty);
        }

        private static IEnumerable<ITypeSymbol> BaseTypes(ITypeSymbol type)
        {
            for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
            {
                yield return current;
            }
        }

        /// <summary>Whether the body can skip an iteration or stop early (then the count is only an upper bound).</summary>
        private static bool LeavesEarly(ILoopOperation loop)
        {
            foreach (var operation in Descendants(loop.Body))
            {
                switch (operation)
                {
                    case IBranchOperation { BranchKind: BranchKind.GoTo }:
                    case IReturnOperation { Kind: OperationKind.Return }:
                        return true;
                    case IBranchOperation branch when SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel) || SymbolEqualityComparer.Default.Equals(branch.Target, loop.ContinueLabel):
                        return true;
                }
            }

            return false;
        }

        /// <summary>The operations under <paramref name="root"/>, not entering lambdas or local functions (their jumps are their own).</summary>
        private static IEnumerable<IOperation> Descendants(IOperation root)
        {
            var pending = new Stack<IOperation>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var operation = pending.Pop();
                yield return operation;
                if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    continue;
                }

                foreach (var child in operation.ChildOperations)
                {
                    pending.Push(child);
                }
            }
        }

        /// <summary>The local a statement adds to, and how much it adds (null: a length not known).</summary>
        private static (ILocalSymbol Collection, int? Added)? Filled(IOperation operation, Types types)
        {
            switch (operation)
            {
                case IInvocationOperation { Instance: ILocalReferenceOperation { Local: var local } } invocation when types.IsSizedCollection(local.Type):
                    return invocation.TargetMethod.Name is "Add" or "TryAdd" ? (local, 1) : null;
                case IInvocationOperation { Instance: ILocalReferenceOperation { Local: var local } } invocation when types.IsStringBuilder(local.Type):
                    return invocation.TargetMethod.Name == "Append" ? (local, AppendedLength(invocation)) : null;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Instance: ILocalReferenceOperation { Local: var local } } }
                    when SymbolEqualityComparer.Default.Equals(local.Type.OriginalDefinition, types.Dictionary):
                    return (local, 1);
                default:
                    return null;
            }
        }

        /// <summary>The characters one Append adds when they are known: a char, a constant string, <c>Append(c, 3)</c>.</summary>
        private static int? AppendedLength(IInvocationOperation append)
        {
            var arguments = append.Arguments.Where(a => a.ArgumentKind != ArgumentKind.DefaultValue).ToList();
            if (arguments.Count == 1)
            {
                var value = Storage.WithoutConversions(arguments[0].Value)!;
                return value.Type?.SpecialType == SpecialType.System_Char ? 1
                    : value.ConstantValue is { HasValue: true, Value: string text } ? text.Length
                    : null;
            }

            if (arguments.Count == 2 && arguments[0].Value.Type?.SpecialType == SpecialType.System_Char && arguments[1].Value.ConstantValue is { HasValue: true, Value: int repeat })
            {
                return repeat;
            }

            return null;
        }

        /// <summary>Every fill of the collection in the method happens in the loop's own statements (none elsewhere, none nested).</summary>
        private static bool OnlyFilledBy(ILocalSymbol collection, ILoopOperation loop, MemberLocals locals, Types types, int countInLoop)
        {
            int everywhere = locals.Fills(collection);
            return everywhere == countInLoop && countInLoop == TopLevelFills(loop, collection, types);
        }

        private static int TopLevelFills(ILoopOperation loop, ILocalSymbol collection, Types types)
        {
            var statements = loop.Body is IBlockOperation block ? block.Operations : ImmutableArray.Create(loop.Body);
            return statements.Count(s => s is IExpressionStatementOperation { Operation: var e } && Filled(e, types) is { } f && SymbolEqualityComparer.Default.Equals(f.Collection, collection));
        }

        /// <summary>Calls that add to <paramref name="collection"/> anywhere under <paramref name="root"/>.</summary>
        private static int CountFills(IOperation root, ILocalSymbol collection, Types types) =>
            root.DescendantsAndSelf().Count(operation => FilledLocal(operation, types) is { } local && SymbolEqualityComparer.Default.Equals(local, collection));

        /// <summary>The local a call adds to (or a dictionary's indexer stores into), if any.</summary>
        private static ILocalSymbol? FilledLocal(IOperation operation, Types types) => operation switch
        {
            IInvocationOperation { Instance: ILocalReferenceOperation { Local: var local } } invocation when IsFillingMethod(invocation.TargetMethod.Name) => local,
            ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Instance: ILocalReferenceOperation { Local: var local } } }
                when SymbolEqualityComparer.Default.Equals(local.Type.OriginalDefinition, types.Dictionary) => local,
            _ => null,
        };

        private static bool IsFillingMethod(string name) =>
            name is "Add" or "TryAdd" or "AddRange" or "Insert" or "InsertRange" or "UnionWith" or "Append" or "AppendLine" or "AppendFormat" or "AppendJoin" or "EnsureCapacity";

        /// <summary>The <c>new X()</c> that initializes <paramref name="collection"/> before the loop, when it has no capacity, no
        /// items, and a constructor that would take one; null otherwise (or when the local is assigned again).</summary>
        private static IObjectCreationOperation? CapacityLessCreation(ILocalSymbol collection, ILoopOperation loop, MemberLocals locals)
        {
            var creation = locals.Creation(collection);
            if (creation?.Constructor is not { } constructor
                || creation.Syntax.SpanStart >= loop.Syntax.SpanStart
                || (creation.Initializer is { } initializer && !initializer.Initializers.IsEmpty)
                || constructor.Parameters.Any(p => p.Type.SpecialType == SpecialType.System_Int32 || p.Type.TypeKind != TypeKind.Interface))
            {
                return null; // already sized, copies a source, or starts with items
            }

            // A constructor taking (int capacity, the same other parameters) must exist: (comparer) becomes (capacity, comparer).
            var withCapacity = constructor.ContainingType.Constructors.Any(c =>
                c.Parameters.Length == constructor.Parameters.Length + 1
                && c.Parameters[0].Type.SpecialType == SpecialType.System_Int32
                && c.Parameters.Skip(1).Zip(constructor.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same));
            return withCapacity ? creation : null;
        }

        /// <summary>The variable an operation writes (assignment target, ++/--, ref or out argument), if any.</summary>
        /// <summary>What the whole member does to its locals, from one walk: asking it per loop walked the member once per
        /// loop, quadratic in long methods.</summary>
        private sealed class MemberLocals
        {
            private readonly Dictionary<ISymbol, IObjectCreationOperation?> _initializers = new(SymbolEqualityComparer.Default);
            private readonly HashSet<ISymbol> _assigned = new(SymbolEqualityComparer.Default);
            private readonly Dictionary<ISymbol, int> _fills = new(SymbolEqualityComparer.Default);

            public MemberLocals(IOperation root, Types types)
            {
                foreach (var operation in root.Descendants())
                {
                    if (operation is IVariableDeclaratorOperation declarator)
                    {
                        _initializers[declarator.Symbol] = Storage.WithoutConversions(declarator.Initializer?.Value) as IObjectCreationOperation;
                    }
                    else if (WrittenVariable(operation) is { } written)
                    {
                        _assigned.Add(written);
                    }

                    if (FilledLocal(operation, types) is { } filled)
                    {
                        _fills[filled] = Fills(filled) + 1;
                    }
                }
            }

            /// <summary>The <c>new X()</c> the local is declared with, when it is never assigned again.</summary>
            public IObjectCreationOperation? Creation(ILocalSymbol local) =>
                !_assigned.Contains(local) && _initializers.TryGetValue(local, out var creation) ? creation : null;

            /// <summary>Calls anywhere in the member that add to the local.</summary>
            public int Fills(ILocalSymbol local) => _fills.TryGetValue(local, out int count) ? count : 0;
        }

        private static ISymbol? WrittenVariable(IOperation operation) => operation switch
        {
            IAssignmentOperation assignment => Storage.Of(assignment.Target),
            IIncrementOrDecrementOperation step => Storage.Of(step.Target),
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => Storage.Of(argument.Value is IDeclarationExpressionOperation declaration ? declaration.Expression : argument.Value),
            _ => null,
        };

        /// <summary>Whether every local the count reads is declared before <paramref name="position"/>.</summary>
        private static bool IsAvailableAt(IOperation count, int position) =>
            count.DescendantsAndSelf().OfType<ILocalReferenceOperation>().All(local =>
                local.Local.DeclaringSyntaxReferences.All(reference => reference.Span.End <= position));
    }
}
