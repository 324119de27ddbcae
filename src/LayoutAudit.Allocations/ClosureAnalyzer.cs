using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace LayoutAudit.Allocations
{
    /// <summary>LA1002: the display class (closure object) the compiler allocates for variables captured by lambdas,
    /// anonymous methods and local functions that are converted to delegates. Reported where the compiler creates it:
    /// at the start of the scope that declares the captured variables.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ClosureAnalyzer : AllocationAnalyzer
    {
        public const string Id = "LA1002";

        public static readonly DiagnosticDescriptor Rule = RuleHelp.Rule(
            Id,
            "Closure allocated",
            "Variables captured by a lambda, an anonymous method or a local function converted to a delegate move into a compiler-generated class, allocated when the scope that declares them is entered.");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        internal override void Register(CompilationStartAnalysisContext start, AllocationScope scope)
        {
            // Only a tree with a lambda or a local function can have a closure: the first function seen in an operation
            // tree has the whole tree analyzed, once per analysis run (an action per operation, not per block: block
            // start actions cost the compiler more than the rule's own work).
            var analyzed = new ConditionalWeakTable<IOperation, Claim>();
            start.RegisterOperationAction(
                scope.Only(context =>
                {
                    var captures = Captures.Of(context.Operation, out var root);
                    if (root.Kind != OperationKind.ParameterInitializer && analyzed.GetOrCreateValue(root).First())
                    {
                        Analyze(context, captures);
                    }
                }),
                OperationKind.AnonymousFunction,
                OperationKind.LocalFunction);
        }

        /// <summary>Set by the first function of a tree to arrive, so its closures are reported once.</summary>
        private sealed class Claim
        {
            private int _taken;

            public bool First() => Interlocked.Exchange(ref _taken, 1) == 0;
        }

        /// <summary>The variables of one scope that live in one display class, and the functions that capture them.</summary>
        private sealed class Environment
        {
            public Environment(SyntaxNode scope) => Scope = scope;

            public SyntaxNode Scope { get; }

            public List<ISymbol> Variables { get; } = new();

            public HashSet<IOperation> Functions { get; } = new();
        }

        private static void Analyze(OperationAnalysisContext context, Captures captures)
        {
            if (captures.OnHeap.Count == 0)
            {
                return;
            }

            var environments = new Dictionary<SyntaxNode, Environment>();
            foreach (var function in captures.Functions.Where(captures.OnHeap.Contains))
            {
                foreach (var variable in captures.Of(function))
                {
                    var scope = ScopeOf(variable);
                    if (scope is null)
                    {
                        continue;
                    }

                    if (!environments.TryGetValue(scope, out var environment))
                    {
                        environments[scope] = environment = new Environment(scope);
                    }

                    if (!environment.Variables.Contains(variable, SymbolEqualityComparer.Default))
                    {
                        environment.Variables.Add(variable);
                    }

                    environment.Functions.Add(function);
                }
            }

            foreach (var environment in Merge(environments, captures))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                Report(context, environment, captures);
            }
        }

        /// <summary>The compiler puts an inner scope's variables into its parent's display class when no loop separates
        /// the two scopes and every function that captures the inner ones also captures the outer ones.</summary>
        private static List<Environment> Merge(Dictionary<SyntaxNode, Environment> environments, Captures captures)
        {
            var owner = new Dictionary<SyntaxNode, Environment>(environments);
            var result = new List<Environment>();
            foreach (var environment in environments.Values.OrderBy(e => e.Scope.Ancestors().Count()))
            {
                var parent = ParentEnvironment(environment.Scope, owner, out bool loopBetween);
                bool capturedTogether = parent is not null && environment.Functions.All(f => captures.Of(f).Any(v => parent.Variables.Contains(v, SymbolEqualityComparer.Default)));
                if (parent is not null && !loopBetween && capturedTogether)
                {
                    parent.Variables.AddRange(environment.Variables);
                    parent.Functions.UnionWith(environment.Functions);
                    owner[environment.Scope] = parent;
                }
                else
                {
                    result.Add(environment);
                }
            }

            return result;
        }

        private static Environment? ParentEnvironment(SyntaxNode scope, Dictionary<SyntaxNode, Environment> owner, out bool loopBetween)
        {
            loopBetween = scope is CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax;
            foreach (var node in scope.Ancestors())
            {
                if (owner.TryGetValue(node, out var parent))
                {
                    return parent;
                }

                if (node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax)
                {
                    return null;
                }

                loopBetween |= node is ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax;
            }

            return null;
        }

        /// <summary>The syntax of the scope that declares a captured variable: a block, switch section, catch clause,
        /// for or foreach statement, or the expression body of a member, lambda or local function.</summary>
        private static SyntaxNode? ScopeOf(ISymbol variable)
        {
            var declaration = variable.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax();
            if (declaration is null)
            {
                return null;
            }

            if (variable is IParameterSymbol)
            {
                foreach (var node in declaration.Ancestors())
                {
                    switch (node)
                    {
                        case AnonymousFunctionExpressionSyntax lambda:
                            return lambda.Body;
                        case LocalFunctionStatementSyntax local:
                            return (SyntaxNode?)local.Body ?? local.ExpressionBody?.Expression;
                        // A constructor copies its captured parameters before it calls the base constructor.
                        case ConstructorDeclarationSyntax constructor:
                            return constructor;
                        case BaseMethodDeclarationSyntax method:
                            return (SyntaxNode?)method.Body ?? method.ExpressionBody?.Expression;
                        case AccessorDeclarationSyntax accessor:
                            return (SyntaxNode?)accessor.Body ?? accessor.ExpressionBody?.Expression;
                        case IndexerDeclarationSyntax indexer:
                            return indexer.ExpressionBody?.Expression;
                        case MemberDeclarationSyntax:
                            return null;
                    }
                }

                return null;
            }

            var child = declaration;
            foreach (var node in declaration.AncestorsAndSelf())
            {
                switch (node)
                {
                    case BlockSyntax or SwitchSectionSyntax:
                        return node;
                    case CatchClauseSyntax catchClause when child == catchClause.Declaration:
                        return node;
                    case CommonForEachStatementSyntax forEach when node == declaration || child is not StatementSyntax:
                        return forEach;
                    case ForStatementSyntax forLoop when child != forLoop.Statement:
                        return forLoop;
                    case ArrowExpressionClauseSyntax arrow:
                        return arrow.Expression;
                    case AnonymousFunctionExpressionSyntax lambda when child == lambda.Body:
                        return lambda.Body;
                    case MemberDeclarationSyntax:
                        return null;
                }

                child = node;
            }

            return null;
        }

        /// <summary>Where the compiler creates the display class: the first statement of a block (skipping local
        /// function declarations), a for loop's declaration, a foreach loop's variable, a catch clause's declaration.</summary>
        private static Location LocationOf(SyntaxNode scope)
        {
            switch (scope)
            {
                case BlockSyntax block:
                    return FirstStatement(block.Statements)?.GetLocation() is { } first ? HeadOf(first) : block.OpenBraceToken.GetLocation();
                case SwitchSectionSyntax section:
                    return FirstStatement(section.Statements)?.GetLocation() is { } statement ? HeadOf(statement) : section.Labels.First().GetLocation();
                case ForStatementSyntax forLoop:
                    return (forLoop.Declaration ?? (SyntaxNode?)forLoop.Initializers.FirstOrDefault())?.GetLocation() ?? forLoop.ForKeyword.GetLocation();
                case ForEachStatementSyntax forEach:
                    return Location.Create(forEach.SyntaxTree, TextSpan.FromBounds(forEach.Type.SpanStart, forEach.Identifier.Span.End));
                case ForEachVariableStatementSyntax forEachVariable:
                    return forEachVariable.Variable.GetLocation();
                case CatchClauseSyntax { Declaration: { } declaration }:
                    return declaration.GetLocation();
                case ConstructorDeclarationSyntax constructor:
                    return constructor.Identifier.GetLocation();
                default:
                    return scope.GetLocation();
            }
        }

        private static StatementSyntax? FirstStatement(SyntaxList<StatementSyntax> statements) =>
            statements.FirstOrDefault(s => s is not LocalFunctionStatementSyntax);

        /// <summary>A statement's head: all of a simple statement, or a compound one up to its first nested statement.</summary>
        private static Location HeadOf(Location statementLocation)
        {
            var tree = statementLocation.SourceTree!;
            var statement = tree.GetRoot().FindNode(statementLocation.SourceSpan, getInnermostNodeForTie: false);
            var nested = statement.ChildNodes().FirstOrDefault(n => n is StatementSyntax);
            int end = nested is null ? statement.Span.End : nested.GetFirstToken().GetPreviousToken().Span.End;
            return Location.Create(tree, TextSpan.FromBounds(statement.SpanStart, System.Math.Max(statement.SpanStart, end)));
        }

        private static void Report(OperationAnalysisContext context, Environment environment, Captures captures)
        {
            var names = environment.Variables
                .OrderBy(v => v.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
                .Select(v => "'" + v.Name + "' (" + Describe.Type(v is ILocalSymbol local ? local.Type : ((IParameterSymbol)v).Type) + ")")
                .ToList();
            bool capturesThis = environment.Functions.Any(captures.CapturesThis);
            if (capturesThis)
            {
                names.Add("'this'");
            }

            var functions = environment.Functions.OrderBy(f => f.Syntax.SpanStart).ToList();
            var location = LocationOf(environment.Scope);
            string message = "Closure allocated: " + Describe.List(names) + (names.Count == 1 ? " is" : " are")
                + " captured by " + Describe.List(functions.Select(f => Name(f, captures)).ToList())
                + ", so the compiler moves " + (names.Count == 1 ? "it" : "them") + " into a display class allocated here, at the start of the scope that declares "
                + Describe.List(environment.Variables.Select(v => "'" + v.Name + "'").ToList()) + ", each time the scope is entered (even on paths where "
                + (functions.Count == 1 ? "it never runs" : "they never run") + ")" + SyntaxLoops.Suffix(location.SourceTree!.GetRoot().FindNode(location.SourceSpan));
            context.ReportDiagnostic(Diagnostic.Create(Rule, location, functions.Select(f => f.Syntax.GetLocation()), RuleHelp.Sites(Site.Closure), message));
        }

        private static string Name(IOperation function, Captures captures) => function switch
        {
            ILocalFunctionOperation local => "the local function '" + local.Symbol.Name + "' (" + (captures.ConvertedToDelegate.Contains(local) ? "converted to a delegate" : "used by a lambda") + ")",
            { Syntax: AnonymousMethodExpressionSyntax } => "the anonymous method at line " + Describe.Line(function.Syntax),
            _ => "the lambda at line " + Describe.Line(function.Syntax),
        };
    }
}
