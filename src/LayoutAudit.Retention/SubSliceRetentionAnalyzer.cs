using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Retention
{
    /// <summary>LA2001: a small <c>Memory&lt;T&gt;</c>, <c>ReadOnlyMemory&lt;T&gt;</c> or <c>ArraySegment&lt;T&gt;</c> slice of a
    /// buffer the method itself obtained leaves the method (returned, stored, added to a collection, captured).
    /// The slice is a window onto the whole buffer, so the whole buffer lives as long as the slice: the seed's 500
    /// bytes that kept a 1 GB log file in memory.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SubSliceRetentionAnalyzer : DiagnosticAnalyzer
    {
        public const string Id = "LA2001";

        /// <summary>Diagnostic property: how the fix copies the slice (<see cref="CopyToArray"/> or <see cref="CopyToString"/>),
        /// absent when no local fix is right (a captured slice is copied where it is defined, by hand).</summary>
        public const string CopyKey = "Copy";

        public const string CopyToArray = "ToArray";
        public const string CopyToString = "String";

        private const int MaxTraceDepth = 8;

        public static readonly DiagnosticDescriptor Rule = new(
            Id,
            "Small slice keeps a large buffer alive",
            "{0} a slice of '{1}' keeps all of '{1}' alive as long as the slice lives: copy the slice ({2})",
            RuleHelp.RetentionCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Memory<T>, ReadOnlyMemory<T> and ArraySegment<T> do not copy: a slice references the whole array or string it was cut from. A slice that outlives the method keeps the whole buffer reachable.",
            helpLinkUri: RuleHelp.LinkFor(Id));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var types = ViewTypes.Resolve(start.Compilation);
                if (types is not null)
                {
                    start.RegisterOperationBlockAction(blockContext => AnalyzeBlocks(blockContext, types));
                }
            });
        }

        private static void AnalyzeBlocks(OperationBlockAnalysisContext context, ViewTypes types)
        {
            // Only methods that make a view at all are worth a control flow graph.
            if (!context.OperationBlocks.Any(root => root.Descendants().Any(operation => types.MakesView(operation))))
            {
                return;
            }

            foreach (var flow in MethodFlow.ForBlocks(context))
            {
                new MethodAnalysis(flow, types, context).Run();
            }
        }

        /// <summary>Where a view value leaves the method (<paramref name="At"/>, where it is reported), and how to say so.</summary>
        private sealed record Sink(IOperation Value, IOperation At, string Action, bool Fixable);

        /// <summary>What a view looks at: <paramref name="Buffer"/> (an operation that produced a new array or string, or
        /// null when the buffer came from elsewhere), named by <paramref name="BufferName"/>, through a strict slice or whole.</summary>
        private sealed record View(bool Strict, IOperation? Buffer, ILocalSymbol? BufferLocal, string BufferName, bool IsString);

        private sealed class MethodAnalysis
        {
            private readonly MethodFlow _flow;
            private readonly ViewTypes _types;
            private readonly OperationBlockAnalysisContext _context;
            private ReachingDefinitions? _definitions;

            public MethodAnalysis(MethodFlow flow, ViewTypes types, OperationBlockAnalysisContext context)
            {
                _flow = flow;
                _types = types;
                _context = context;
            }

            private ReachingDefinitions Definitions => _definitions ??= ReachingDefinitions.Compute(
                _flow,
                local => _types.IsView(local.Type) || local.Type.TypeKind == TypeKind.Array || local.Type.SpecialType == SpecialType.System_String,
                _context.CancellationToken);

            public void Run()
            {
                var sinks = FindSinks();
                if (sinks.Count == 0)
                {
                    return;
                }

                var escapedBuffers = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
                var findings = new List<(Sink Sink, View View)>();
                foreach (var sink in sinks)
                {
                    _context.CancellationToken.ThrowIfCancellationRequested();
                    if (Storage.WithoutConversions(sink.Value) is ILocalReferenceOperation { Local: var local } && !_types.IsView(local.Type))
                    {
                        escapedBuffers.Add(local); // the whole buffer leaves too: the slice costs nothing more
                        continue;
                    }

                    if (!_types.IsView(Storage.WithoutConversions(sink.Value)?.Type))
                    {
                        continue;
                    }

                    var view = Trace(sink.Value, 0);
                    if (view is null)
                    {
                        continue;
                    }

                    if (!view.Strict && view.BufferLocal is not null)
                    {
                        escapedBuffers.Add(view.BufferLocal);
                    }
                    else if (view.Strict && view.Buffer is not null)
                    {
                        findings.Add((sink, view));
                    }
                }

                foreach (var (sink, view) in findings)
                {
                    if (view.BufferLocal is not null && escapedBuffers.Contains(view.BufferLocal))
                    {
                        continue;
                    }

                    // A copy must land in the same type the slice had: T[] converts to each view type, not to object.
                    bool fixable = sink.Fixable && _types.IsView(sink.Value.Type);
                    bool asString = view.IsString && SymbolEqualityComparer.Default.Equals(sink.Value.Type?.OriginalDefinition, _types.ReadOnlyMemory);
                    var properties = fixable
                        ? ImmutableDictionary<string, string?>.Empty.Add(CopyKey, asString ? CopyToString : CopyToArray)
                        : ImmutableDictionary<string, string?>.Empty;
                    string copy = asString ? "new string(slice.Span)" : "ToArray()";
                    _context.ReportDiagnostic(Diagnostic.Create(Rule, sink.At.Syntax.GetLocation(), properties, sink.Action, view.BufferName, copy));
                }
            }

            private List<Sink> FindSinks()
            {
                var sinks = new List<Sink>();
                foreach (var block in _flow.Graph.Blocks)
                {
                    if (block.BranchValue is { } returned && block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return)
                    {
                        AddSink(sinks, returned, "Returning", fixable: true);
                    }
                }

                foreach (var operation in _flow.AllOperations)
                {
                    switch (operation)
                    {
                        case IReturnOperation { Kind: OperationKind.YieldReturn, ReturnedValue: { } yielded }:
                            AddSink(sinks, yielded, "Yielding", fixable: true);
                            break;
                        case ISimpleAssignmentOperation { IsRef: false } assignment:
                            if (StoreAction(assignment.Target) is { } action)
                            {
                                AddSink(sinks, assignment.Value, action, fixable: true);
                            }

                            break;
                        case IInvocationOperation { Instance: { } collection } invocation when IsCollectionAdd(invocation):
                            foreach (var argument in invocation.Arguments)
                            {
                                AddSink(sinks, argument.Value, "Adding to '" + Describe(collection) + "'", fixable: true);
                            }

                            break;
                        case IFlowAnonymousFunctionOperation lambda:
                            AddCaptures(sinks, lambda);
                            break;
                    }
                }

                return sinks;
            }

            /// <summary>A value, or the views inside a tuple or a new object's arguments that go out with it.</summary>
            private void AddSink(List<Sink> sinks, IOperation value, string action, bool fixable)
            {
                switch (Storage.WithoutConversions(value))
                {
                    case ITupleOperation tuple:
                        foreach (var element in tuple.Elements)
                        {
                            AddSink(sinks, element, action, fixable);
                        }

                        break;
                    case IObjectCreationOperation creation when !_types.IsView(creation.Type):
                        foreach (var argument in creation.Arguments)
                        {
                            AddSink(sinks, argument.Value, action, fixable);
                        }

                        break;
                    default:
                        sinks.Add(new Sink(value, value, action, fixable));
                        break;
                }
            }

            private static string? StoreAction(IOperation target) => target switch
            {
                // A field of a struct held in a local lives and dies with the local.
                IMemberReferenceOperation { Instance: ILocalReferenceOperation { Local.Type.IsValueType: true } } => null,
                IFieldReferenceOperation field => "Storing in '" + field.Field.Name + "'",
                IPropertyReferenceOperation { Arguments.IsEmpty: true } property => "Storing in '" + property.Property.Name + "'",
                IPropertyReferenceOperation indexer => "Adding to '" + Describe(indexer.Instance) + "'",
                IArrayElementReferenceOperation element => "Adding to '" + Describe(element.ArrayReference) + "'",
                IParameterReferenceOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } parameter => "Returning through '" + parameter.Parameter.Name + "'",
                _ => null,
            };

            private static bool IsCollectionAdd(IInvocationOperation invocation) =>
                invocation.TargetMethod.Name is "Add" or "Insert" or "Enqueue" or "Push" or "TryAdd" or "AddFirst" or "AddLast" or "Set" or "GetOrAdd" or "AddOrUpdate" or "TryUpdate"
                && invocation.Instance?.Type?.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable) == true;

            private void AddCaptures(List<Sink> sinks, IFlowAnonymousFunctionOperation lambda)
            {
                if (!DelegateEscapes(lambda))
                {
                    return;
                }

                var graph = _flow.Graph.GetAnonymousFunctionControlFlowGraph(lambda, _context.CancellationToken);
                var reported = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
                foreach (var reference in AllOperations(graph).OfType<ILocalReferenceOperation>())
                {
                    // A local of the enclosing method, read inside the lambda: the closure holds it.
                    if (_types.IsView(reference.Local.Type) && !IsDeclaredIn(reference.Local, lambda.Symbol) && reported.Add(reference.Local))
                    {
                        foreach (var definition in Definitions.Before(lambda, reference.Local))
                        {
                            if (Trace(definition, 0) is { Strict: true, Buffer: not null })
                            {
                                sinks.Add(new Sink(definition, reference, "Capturing in a lambda", Fixable: false));
                            }
                        }
                    }
                }
            }

            /// <summary>Whether the lambda's delegate may outlive the method: anything but a local that is only called.</summary>
            private bool DelegateEscapes(IFlowAnonymousFunctionOperation lambda)
            {
                var user = lambda.Parent;
                while (user is IDelegateCreationOperation or IConversionOperation)
                {
                    user = user.Parent;
                }

                if (user is not ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var local } })
                {
                    return true;
                }

                foreach (var operation in _flow.AllOperations)
                {
                    if (operation is ILocalReferenceOperation reference
                        && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                        && reference.Parent != user
                        && reference.Parent is not IInvocationOperation { TargetMethod.MethodKind: MethodKind.DelegateInvoke })
                    {
                        return true;
                    }
                }

                return false;
            }

            private IEnumerable<IOperation> AllOperations(ControlFlowGraph graph)
            {
                foreach (var block in graph.Blocks)
                {
                    foreach (var statement in MethodFlow.Statements(block))
                    {
                        foreach (var operation in statement.DescendantsAndSelf())
                        {
                            yield return operation;
                            if (operation is IFlowAnonymousFunctionOperation nested)
                            {
                                foreach (var inner in AllOperations(graph.GetAnonymousFunctionControlFlowGraph(nested, _context.CancellationToken)))
                                {
                                    yield return inner;
                                }
                            }
                        }
                    }
                }
            }

            private static bool IsDeclaredIn(ILocalSymbol local, IMethodSymbol function)
            {
                for (var symbol = local.ContainingSymbol; symbol is not null; symbol = symbol.ContainingSymbol)
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

            /// <summary>What view <paramref name="operation"/> is, following locals back to their assignments.</summary>
            private View? Trace(IOperation operation, int depth)
            {
                if (depth > MaxTraceDepth)
                {
                    return null;
                }

                switch (operation)
                {
                    case IConversionOperation conversion when IsBuffer(conversion.Operand.Type):
                        return Whole(conversion.Operand, depth); // T[] to Memory<T>/ArraySegment<T>: the whole array
                    case IConversionOperation conversion:
                        return Trace(conversion.Operand, depth);
                    case IInvocationOperation { TargetMethod: { Name: "AsMemory", IsStatic: true } method } invocation
                        when SymbolEqualityComparer.Default.Equals(method.ContainingType, _types.MemoryExtensions) && invocation.Arguments.Length > 0:
                        {
                            var source = invocation.Arguments[0].Value;
                            bool strict = CutsPart(invocation.Arguments.Skip(1));
                            var inner = IsBuffer(source.Type) ? Whole(source, depth) : Trace(source, depth + 1);
                            return inner is null ? null : inner with { Strict = inner.Strict || strict };
                        }

                    case IInvocationOperation { TargetMethod.Name: "Slice", Instance: { } instance } invocation when _types.IsView(instance.Type):
                        {
                            var inner = Trace(instance, depth + 1);
                            return inner is null ? null : inner with { Strict = inner.Strict || CutsPart(invocation.Arguments) };
                        }

                    case IImplicitIndexerReferenceOperation { Instance: var instance } when _types.IsView(instance.Type):
                        {
                            var inner = Trace(instance, depth + 1);
                            return inner is null ? null : inner with { Strict = true };
                        }

                    case IObjectCreationOperation creation when _types.IsView(creation.Type) && creation.Arguments.Length > 0 && IsBuffer(creation.Arguments[0].Value.Type):
                        {
                            var inner = Whole(creation.Arguments[0].Value, depth);
                            return inner is null ? null : inner with { Strict = creation.Arguments.Length >= 3 };
                        }

                    case ILocalReferenceOperation local when _types.IsView(local.Type):
                        {
                            View? found = null;
                            foreach (var definition in Definitions.Before(operation, local.Local))
                            {
                                var view = Trace(definition, depth + 1);
                                if (view is { Strict: true, Buffer: not null })
                                {
                                    return view;
                                }

                                found ??= view;
                            }

                            return found;
                        }

                    case IFlowCaptureReferenceOperation capture:
                        {
                            View? found = null;
                            foreach (var value in _flow.CapturedValues(capture.Id))
                            {
                                var view = Trace(value, depth + 1);
                                if (view is { Strict: true, Buffer: not null })
                                {
                                    return view;
                                }

                                found ??= view;
                            }

                            return found;
                        }

                    default:
                        return null;
                }
            }

            /// <summary>A view of all of <paramref name="buffer"/>, with where the buffer came from.</summary>
            private View? Whole(IOperation buffer, int depth)
            {
                var local = Storage.WithoutConversions(buffer) as ILocalReferenceOperation;
                var fresh = FreshBuffer(buffer, depth);
                string name = local?.Local.Name ?? CodeText.Of(buffer);
                return new View(Strict: false, fresh, local?.Local, name, buffer.Type?.SpecialType == SpecialType.System_String);
            }

            /// <summary>The operation that made <paramref name="buffer"/> in this method, or null if it came from outside.</summary>
            private IOperation? FreshBuffer(IOperation buffer, int depth)
            {
                if (depth > MaxTraceDepth)
                {
                    return null;
                }

                switch (Storage.WithoutConversions(buffer))
                {
                    case IArrayCreationOperation creation:
                        return creation;
                    case { Kind: OperationKind.CollectionExpression } collection:
                        return collection;
                    case IInterpolatedStringOperation interpolated:
                        return interpolated;
                    case IObjectCreationOperation { Type.SpecialType: SpecialType.System_String } newString:
                        return newString;
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } concatenation:
                        return concatenation;
                    case IInvocationOperation invocation when IsBuffer(invocation.Type) && !_types.IsPoolRent(invocation.TargetMethod):
                        return invocation;
                    case IAwaitOperation { Operation: IInvocationOperation } awaited when IsBuffer(awaited.Type):
                        return awaited;
                    case ILocalReferenceOperation local:
                        return AllFresh(Definitions.Before(local, local.Local), depth);
                    case IFlowCaptureReferenceOperation capture:
                        return AllFresh(_flow.CapturedValues(capture.Id), depth); // a ?? b, c ? a : b
                    default:
                        return null;
                }
            }

            /// <summary>The first of <paramref name="sources"/> when every one of them is a buffer made here: a buffer that
            /// may also come from a field or parameter on some path is not the method's own.</summary>
            private IOperation? AllFresh(IEnumerable<IOperation> sources, int depth)
            {
                IOperation? first = null;
                foreach (var source in sources)
                {
                    if (FreshBuffer(source, depth + 1) is not { } fresh)
                    {
                        return null;
                    }

                    first ??= fresh;
                }

                return first;
            }

            private static bool IsBuffer(ITypeSymbol? type) => type is IArrayTypeSymbol || type?.SpecialType == SpecialType.System_String;

            /// <summary>Whether slicing arguments may leave part of the buffer out (anything but a lone start of 0).</summary>
            private static bool CutsPart(IEnumerable<IArgumentOperation> arguments)
            {
                var given = arguments.Where(a => a.ArgumentKind != ArgumentKind.DefaultValue).ToList();
                return given.Count > 1 || (given.Count == 1 && given[0].Value.ConstantValue is not { HasValue: true, Value: 0 });
            }

            private static string Describe(IOperation? operation) => operation is null ? "collection" : CodeText.Of(operation);
        }

        /// <summary>The framework types the rule needs, resolved once per compilation.</summary>
        private sealed class ViewTypes
        {
            private ViewTypes(INamedTypeSymbol? memory, INamedTypeSymbol? readOnlyMemory, INamedTypeSymbol? arraySegment, INamedTypeSymbol? memoryExtensions, INamedTypeSymbol? arrayPool)
            {
                Memory = memory;
                ReadOnlyMemory = readOnlyMemory;
                ArraySegment = arraySegment;
                MemoryExtensions = memoryExtensions;
                ArrayPool = arrayPool;
            }

            public INamedTypeSymbol? Memory { get; }

            public INamedTypeSymbol? ReadOnlyMemory { get; }

            public INamedTypeSymbol? ArraySegment { get; }

            public INamedTypeSymbol? MemoryExtensions { get; }

            public INamedTypeSymbol? ArrayPool { get; }

            /// <summary>Null when the compilation has none of the view types (nothing to check).</summary>
            public static ViewTypes? Resolve(Compilation compilation)
            {
                var types = new ViewTypes(
                    compilation.GetTypeByMetadataName("System.Memory`1"),
                    compilation.GetTypeByMetadataName("System.ReadOnlyMemory`1"),
                    compilation.GetTypeByMetadataName("System.ArraySegment`1"),
                    compilation.GetTypeByMetadataName("System.MemoryExtensions"),
                    compilation.GetTypeByMetadataName("System.Buffers.ArrayPool`1"));
                return types.Memory is null && types.ReadOnlyMemory is null && types.ArraySegment is null ? null : types;
            }

            public bool IsView(ITypeSymbol? type)
            {
                var definition = type?.OriginalDefinition;
                return definition is not null
                    && (SymbolEqualityComparer.Default.Equals(definition, Memory)
                        || SymbolEqualityComparer.Default.Equals(definition, ReadOnlyMemory)
                        || SymbolEqualityComparer.Default.Equals(definition, ArraySegment));
            }

            public bool MakesView(IOperation operation) =>
                operation.Kind is OperationKind.Invocation or OperationKind.ObjectCreation or OperationKind.ImplicitIndexerReference or OperationKind.Conversion
                && IsView(operation.Type);

            /// <summary>A rented array belongs to the pool, not to the method; slicing it is another matter.</summary>
            public bool IsPoolRent(IMethodSymbol method)
            {
                if (method.Name != "Rent" || ArrayPool is null)
                {
                    return false;
                }

                for (var type = method.ContainingType; type is not null; type = type.BaseType)
                {
                    if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, ArrayPool))
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }
}
