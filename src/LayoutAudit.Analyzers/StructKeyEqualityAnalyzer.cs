using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Analyzers
{
    /// <summary>LA0005: a struct used as the key of a hashed collection without <c>IEquatable&lt;T&gt;</c> and an
    /// overridden <c>GetHashCode</c>, so that every lookup goes through <c>ValueType.Equals</c>/<c>GetHashCode</c>
    /// (reflection over the fields, and a box per call).</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class StructKeyEqualityAnalyzer : DiagnosticAnalyzer
    {
        public const string Id = "LA0005";

        private static readonly ImmutableHashSet<string> s_keyedLinqMethods = ImmutableHashSet.Create("ToDictionary", "ToHashSet", "ToLookup", "GroupBy");

        public static readonly DiagnosticDescriptor Rule = new(
            Id,
            "Struct key without equality",
            "'{0}' is a key of '{1}' but {2}: every lookup falls back to ValueType.Equals/GetHashCode, which box it and may compare its fields by reflection; implement IEquatable<{0}> and override GetHashCode, or make it a record struct",
            RuleHelp.PerformanceCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Hashed collections compare keys with EqualityComparer<T>.Default; a struct without IEquatable<T> and GetHashCode gets the slow, allocating defaults of System.ValueType.",
            helpLinkUri: RuleHelp.LinkFor(Id));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var compilation = start.Compilation;
                var equatable = compilation.GetTypeByMetadataName("System.IEquatable`1");
                var comparer = compilation.GetTypeByMetadataName("System.Collections.Generic.IEqualityComparer`1");
                if (equatable is null || comparer is null)
                {
                    return;
                }

                var keyed = new List<INamedTypeSymbol>();
                foreach (string name in new[] { "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.HashSet`1", "System.Collections.Concurrent.ConcurrentDictionary`2" })
                {
                    if (compilation.GetTypeByMetadataName(name) is { } type)
                    {
                        keyed.Add(type);
                    }
                }

                var enumerable = compilation.GetTypeByMetadataName("System.Linq.Enumerable");
                var checker = new KeyChecker(equatable, comparer);
                if (keyed.Count > 0)
                {
                    start.RegisterOperationAction(context => AnalyzeCreation(context, keyed, checker), OperationKind.ObjectCreation, OperationKind.CollectionExpression);
                }

                if (enumerable is not null)
                {
                    start.RegisterOperationAction(context => AnalyzeLinq(context, enumerable, checker), OperationKind.Invocation);
                }
            });
        }

        private static void AnalyzeCreation(OperationAnalysisContext context, List<INamedTypeSymbol> keyed, KeyChecker checker)
        {
            if (context.Operation.Type is not INamedTypeSymbol { IsGenericType: true } created
                || !keyed.Any(k => SymbolEqualityComparer.Default.Equals(k, created.OriginalDefinition)))
            {
                return;
            }

            // A comparer passed to the constructor replaces the default equality.
            if (context.Operation is IObjectCreationOperation { Constructor: { } constructor } && constructor.Parameters.Any(p => checker.IsComparer(p.Type)))
            {
                return;
            }

            checker.Report(context, created.TypeArguments[0], created);
        }

        private static void AnalyzeLinq(OperationAnalysisContext context, INamedTypeSymbol enumerable, KeyChecker checker)
        {
            var method = ((IInvocationOperation)context.Operation).TargetMethod;
            if (!s_keyedLinqMethods.Contains(method.Name) || !SymbolEqualityComparer.Default.Equals(method.ContainingType, enumerable)
                || method.Parameters.Any(p => checker.IsComparer(p.Type)))
            {
                return;
            }

            // The key is TKey, or the elements themselves for ToHashSet.
            string keyParameter = method.Name == "ToHashSet" ? "TSource" : "TKey";
            int index = method.TypeParameters.IndexOf(method.TypeParameters.FirstOrDefault(t => t.Name == keyParameter)!);
            if (index >= 0)
            {
                checker.Report(context, method.TypeArguments[index], method.ReturnType);
            }
        }

        private sealed class KeyChecker
        {
            private readonly INamedTypeSymbol _equatable;
            private readonly INamedTypeSymbol _comparer;

            public KeyChecker(INamedTypeSymbol equatable, INamedTypeSymbol comparer)
            {
                _equatable = equatable;
                _comparer = comparer;
            }

            public bool IsComparer(ITypeSymbol type) => SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _comparer);

            public void Report(OperationAnalysisContext context, ITypeSymbol key, ITypeSymbol collection)
            {
                // Nullable<T> compares through T's own equality.
                if (key is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
                {
                    key = nullable.TypeArguments[0];
                }

                if (key is not INamedTypeSymbol { TypeKind: TypeKind.Struct, SpecialType: SpecialType.None } structType)
                {
                    return;
                }

                bool equatable = structType.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, _equatable.Construct(structType)));
                bool hashes = structType.GetMembers("GetHashCode").OfType<IMethodSymbol>().Any(m => m.IsOverride && m.Parameters.IsEmpty);
                if (equatable && hashes)
                {
                    return;
                }

                string name = structType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
                string missing = !equatable && !hashes ? $"neither implements IEquatable<{name}> nor overrides GetHashCode"
                    : !equatable ? $"does not implement IEquatable<{name}>"
                    : "does not override GetHashCode";
                // The struct's declaration rides along for the code fix, which adds the members there.
                var declaration = structType.Locations.Where(l => l.IsInSource);
                context.ReportDiagnostic(Diagnostic.Create(Rule, context.Operation.Syntax.GetLocation(), declaration.Take(1), name, collection.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), missing));
            }
        }
    }
}
