using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace LayoutAudit.Allocations.Tests
{
    /// <summary>A corpus snippet: members of one audited class. <see cref="KnownGap"/>, when set, says why the analyzer
    /// and the IL are known to disagree on it (the proof then checks that they still do, so the note cannot go stale).</summary>
    public sealed record Snippet(string Name, string Code, string? KnownGap = null)
    {
        public override string ToString() => Name;
    }

    /// <summary>How many allocation sites of each kind one statement has: per the IL, and per the analyzer's findings.</summary>
    internal sealed record SnippetComparison(string Snippet, IReadOnlyDictionary<(string Statement, string Kind), int> Il, IReadOnlyDictionary<(string Statement, string Kind), int> Findings, IReadOnlyList<IlAllocation> Sites, IReadOnlyList<Diagnostic> Diagnostics)
    {
        public bool Agrees => Il.Count == Findings.Count && Il.All(pair => Findings.TryGetValue(pair.Key, out int count) && count == pair.Value);

        /// <summary>IL sites that a finding accounts for (per statement and kind).</summary>
        public int Matched => Il.Sum(pair => Math.Min(pair.Value, Findings.TryGetValue(pair.Key, out int count) ? count : 0));

        public int IlTotal => Il.Values.Sum();

        public int FindingTotal => Findings.Values.Sum();

        public string Explain()
        {
            var keys = Il.Keys.Union(Findings.Keys).OrderBy(k => k.Statement, StringComparer.Ordinal).ThenBy(k => k.Kind, StringComparer.Ordinal);
            var lines = keys
                .Where(k => (Il.TryGetValue(k, out int il) ? il : 0) != (Findings.TryGetValue(k, out int found) ? found : 0))
                .Select(k => $"  {k.Kind,-15} IL {(Il.TryGetValue(k, out int il) ? il : 0)} findings {(Findings.TryGetValue(k, out int f) ? f : 0)} at: {k.Statement}");
            return Snippet + " disagrees:" + Environment.NewLine + string.Join(Environment.NewLine, lines)
                + Environment.NewLine + "IL sites:" + Environment.NewLine + string.Join(Environment.NewLine, Sites.Select(s => "  " + s))
                + Environment.NewLine + "Findings:" + Environment.NewLine + string.Join(Environment.NewLine, Diagnostics.Select(d => "  " + d.Id + " " + d.Properties[RuleHelpSites] + " " + d.GetMessage()));
        }

        internal const string RuleHelpSites = "AllocationSites";
    }

    /// <summary>Compiles a whole corpus once (Release, the same Roslyn the analyzer tests run), reads the IL allocations of
    /// every snippet, runs every allocation rule (LA1011 included) over the same compilation, and compares them per
    /// statement and kind of allocation.</summary>
    internal static class IlProof
    {
        /// <summary>Types and helpers every snippet may use. <c>UseT</c> consumes a value without boxing it (a Release
        /// build drops allocations whose result is never used).</summary>
        public const string Prelude = """
            using System;
            using System.Collections;
            using System.Collections.Generic;
            using System.Linq;
            using System.Text;
            using System.Threading.Tasks;

            public class SnippetBase
            {
                protected int Field;
                protected static void Use(object? value) { }
                protected static void UseT<T>(T value) { }
                protected static void Many(params object[] values) { }
                protected static void Ints(params int[] values) { }
                protected static void IntSpan(params ReadOnlySpan<int> values) { }
                protected static int Static(int x) => x;
                protected int Instance(int x) => x + Field;
                protected static void Run(Action action) => action();
                protected static T Call<T>(Func<T> function) => function();
            }

            public struct Point { public int X, Y; public int Sum() => X + Y; }
            public struct Named { public int X; public override string ToString() => "named"; public override int GetHashCode() => X; public override bool Equals(object? other) => false; }
            public enum Color { Red = 1, Green = 2, Blue = 4 }
            public interface IShape { int Area(); }
            public struct Square : IShape { public int Side; public int Area() => Side * Side; }
            public sealed class Node { public int Value; public Node? Next; }

            """;

        public static IReadOnlyDictionary<string, SnippetComparison> Run(IReadOnlyList<Snippet> snippets)
        {
            string source = Prelude + string.Join(Environment.NewLine, snippets.Select(s => "[LayoutAudit.AuditAllocations]" + Environment.NewLine + "public class " + s.Name + " : SnippetBase" + Environment.NewLine + "{" + Environment.NewLine + s.Code + Environment.NewLine + "}" + Environment.NewLine));
            var compiled = CompiledSnippet.Compile(source);
            var tree = compiled.Tree;
            var root = tree.GetRoot();
            var classes = root.DescendantNodes().OfType<ClassDeclarationSyntax>().Where(c => snippets.Any(s => s.Name == c.Identifier.Text)).ToDictionary(c => c.Identifier.Text);

            var sites = IlAllocations.Read(compiled.PeImage, compiled.PdbImage, compiled.Compilation);
            var diagnostics = Analyze(compiled.Compilation);

            var result = new Dictionary<string, SnippetComparison>();
            foreach (var snippet in snippets)
            {
                var declaration = classes[snippet.Name];
                var ownSites = sites.Where(s => s.TopLevelType == snippet.Name && s.Excluded is null).ToList();
                var il = new Dictionary<(string, string), int>();
                foreach (var site in ownSites)
                {
                    var key = (StatementKey(site.Span is { } span ? root.FindNode(span, getInnermostNodeForTie: true) : MemberNamed(declaration, site.Method)), KindName(site.Kind));
                    il[key] = il.TryGetValue(key, out int count) ? count + 1 : 1;
                }

                var ownDiagnostics = diagnostics.Where(d => declaration.Span.Contains(d.Location.SourceSpan)).ToList();
                var findings = new Dictionary<(string, string), int>();
                foreach (var diagnostic in ownDiagnostics)
                {
                    string statement = StatementKey(root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true));
                    foreach (string kind in (diagnostic.Properties[SnippetComparison.RuleHelpSites] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var key = (statement, kind);
                        findings[key] = findings.TryGetValue(key, out int count) ? count + 1 : 1;
                    }
                }

                RemoveExplicitToStringOutsideLoops(il, declaration, sites.Where(s => s.TopLevelType == snippet.Name && s.Excluded is null && s.Kind == IlAllocationKind.String && !s.InLoop && s.Detail.EndsWith(".ToString", StringComparison.Ordinal)), root);
                result[snippet.Name] = new SnippetComparison(snippet.Name, il, findings, sites.Where(s => s.TopLevelType == snippet.Name).ToList(), ownDiagnostics);
            }

            return result;
        }

        public static ImmutableArray<Diagnostic> Analyze(Compilation compilation)
        {
            var analyzers = AllAnalyzers();
            var options = compilation.Options.WithSpecificDiagnosticOptions(compilation.Options.SpecificDiagnosticOptions.SetItem(ExplicitAllocationAnalyzer.Id, ReportDiagnostic.Info));
            var exceptions = new List<string>();
            var withAnalyzers = compilation.WithOptions(options).WithAnalyzers(
                analyzers,
                new CompilationWithAnalyzersOptions(
                    new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                    onAnalyzerException: (exception, analyzer, _) => exceptions.Add(analyzer.GetType().Name + ": " + exception),
                    concurrentAnalysis: true,
                    logAnalyzerExecutionTime: false));
            var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            if (exceptions.Count > 0 || diagnostics.Any(d => d.Id == "AD0001"))
            {
                throw new InvalidOperationException(string.Join(Environment.NewLine, exceptions.Concat(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage()))));
            }

            return diagnostics;
        }

        public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers() => ImmutableArray.Create<DiagnosticAnalyzer>(
            new BoxingAnalyzer(), new ClosureAnalyzer(), new DelegateAllocationAnalyzer(), new ParamsArrayAnalyzer(),
            new EnumeratorAllocationAnalyzer(), new StringBuildingAnalyzer(), new StateMachineAnalyzer(), new LinqAnalyzer(),
            new HiddenObjectAnalyzer(), new AllocationInLoopAnalyzer(), new ExplicitAllocationAnalyzer());

        /// <summary>An explicit <c>x.ToString()</c> outside a loop is a visible allocation LA1006 leaves alone (it reports
        /// ToString() per iteration only): its IL call is not expected to have a finding.</summary>
        private static void RemoveExplicitToStringOutsideLoops(Dictionary<(string, string), int> il, ClassDeclarationSyntax declaration, IEnumerable<IlAllocation> toStringSites, SyntaxNode root)
        {
            foreach (var group in toStringSites.Where(s => s.Span is not null).GroupBy(s => StatementKey(root.FindNode(s.Span!.Value, getInnermostNodeForTie: true))))
            {
                var statement = declaration.DescendantNodes().FirstOrDefault(n => StatementKey(n) == group.Key && (n is StatementSyntax or MemberDeclarationSyntax));
                int explicitCalls = statement?.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>()
                    .Count(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "ToString" } && StatementKey(i) == group.Key) ?? 0;
                var key = (group.Key, KindName(IlAllocationKind.String));
                int remove = Math.Min(explicitCalls, group.Count());
                if (remove > 0 && il.TryGetValue(key, out int count))
                {
                    if (count - remove > 0)
                    {
                        il[key] = count - remove;
                    }
                    else
                    {
                        il.Remove(key);
                    }
                }
            }
        }

        /// <summary>The innermost statement (not a block) around a node, or its member: "line 12: int x = 1;".</summary>
        public static string StatementKey(SyntaxNode node)
        {
            var statement = node.AncestorsAndSelf().FirstOrDefault(n => n is StatementSyntax and not BlockSyntax || n is MemberDeclarationSyntax)!;
            string text = statement is StatementSyntax ? statement.ToString() : ((statement as MemberDeclarationSyntax)?.ChildTokens().FirstOrDefault(t => t.IsKind(SyntaxKind.IdentifierToken)).Text ?? "member");
            int line = statement.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            return "line " + line + ": " + (text.Length > 60 ? text.Substring(0, 60) : text).Replace(Environment.NewLine, " ");
        }

        /// <summary>The member or local function an IL method without sequence points (an iterator's stub) was compiled from.</summary>
        private static SyntaxNode MemberNamed(ClassDeclarationSyntax declaration, string ilMethod)
        {
            string name = ilMethod.Substring(ilMethod.IndexOf('.') + 1);
            int localStart = name.IndexOf(">g__", StringComparison.Ordinal);
            if (localStart >= 0)
            {
                string local = name.Substring(localStart + 4, name.IndexOf('|') - localStart - 4);
                return declaration.DescendantNodes().OfType<LocalFunctionStatementSyntax>().First(l => l.Identifier.Text == local);
            }

            if (name.StartsWith("get_", StringComparison.Ordinal) || name.StartsWith("set_", StringComparison.Ordinal))
            {
                return declaration.Members.OfType<PropertyDeclarationSyntax>().FirstOrDefault(p => p.Identifier.Text == name.Substring(4)) ?? (SyntaxNode)declaration;
            }

            return declaration.Members.OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.Identifier.Text == name) ?? (SyntaxNode)declaration;
        }

        private static string KindName(IlAllocationKind kind) => kind switch
        {
            IlAllocationKind.Box => Site.Box,
            IlAllocationKind.Array => Site.Array,
            IlAllocationKind.Delegate => Site.Delegate,
            IlAllocationKind.Closure => Site.Closure,
            IlAllocationKind.StateMachine => Site.StateMachine,
            IlAllocationKind.AnonymousType => Site.AnonymousType,
            IlAllocationKind.Object => Site.Object,
            IlAllocationKind.String => Site.String,
            IlAllocationKind.Linq => Site.Linq,
            IlAllocationKind.Enumerator => Site.Enumerator,
            _ => kind.ToString(),
        };
    }
}
