using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LayoutAudit.Allocations.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace LayoutAudit.Allocations.Tests
{
    /// <summary>Code fixes run in the IDE over whatever is on screen: over broken and half-typed code no fix may throw,
    /// neither when asked for its actions nor when an action is applied.</summary>
    public sealed class CodeFixRobustnessTests
    {
        private const string Sample = """
            using System;

            public struct P { public int X; }
            [LayoutAudit.AuditAllocations]
            public class Fixes
            {
                static int Sum(params int[] values) => 0;
                static int Sum(ReadOnlySpan<int> values) => 0;
                public Type M(P p, int a)
                {
                    void Local() { }
                    Action f = Local;
                    Sum(a, a, 3);
                    return p.GetType();
                }
            }
            """;

        [Theory]
        [MemberData(nameof(RobustnessTests.BrokenSnippets), MemberType = typeof(RobustnessTests))]
        public async Task NoFixThrowsOnBrokenCode(string source) => await ApplyEveryFixAsync(source);

        [Fact]
        public async Task NoFixThrowsOnHalfTypedCode()
        {
            for (int end = 1; end < Sample.Length; end += 7)
            {
                await ApplyEveryFixAsync(Sample.Substring(0, end));
            }

            var lines = Sample.Split('\n');
            for (int skip = 0; skip < lines.Length; skip++)
            {
                await ApplyEveryFixAsync(string.Join("\n", lines.Where((_, i) => i != skip)));
            }

            // Each fix has an action on the complete sample, so each fix's code ran over the cut versions.
            var applied = await ApplyEveryFixAsync(Sample);
            Assert.Equal(new[] { nameof(MakeLocalFunctionStaticCodeFixProvider), nameof(PassSpanCodeFixProvider), nameof(UseTypeOfCodeFixProvider) }, applied.OrderBy(n => n, System.StringComparer.Ordinal));
        }

        /// <summary>Asks every fix for its actions on every diagnostic of its rule, applies each, and returns the names
        /// of the fixes that offered one.</summary>
        private static async Task<ISet<string>> ApplyEveryFixAsync(string source)
        {
            using var workspace = new AdhocWorkspace();
            var project = workspace.AddProject("Fixes", LanguageNames.CSharp)
                .WithMetadataReferences(TestReferences.ReferencePack)
                .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary))
                .WithParseOptions(new CSharpParseOptions(LanguageVersion.Latest));
            project = project.AddDocument("Attribute.cs", TestReferences.Attribute).Project;
            var document = project.AddDocument("Test.cs", source);
            var tree = await document.GetSyntaxTreeAsync();
            var compilation = await document.Project.GetCompilationAsync();
            var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new BoxingAnalyzer(), new DelegateAllocationAnalyzer(), new ParamsArrayAnalyzer());
            var diagnostics = await compilation!.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
            var fixes = new CodeFixProvider[] { new UseTypeOfCodeFixProvider(), new MakeLocalFunctionStaticCodeFixProvider(), new PassSpanCodeFixProvider() };
            var offered = new HashSet<string>();
            foreach (var diagnostic in diagnostics.Where(d => d.Location.SourceTree == tree))
            {
                foreach (var fix in fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
                {
                    var actions = new List<CodeAction>();
                    await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
                    foreach (var action in actions)
                    {
                        await action.GetOperationsAsync(CancellationToken.None);
                        offered.Add(fix.GetType().Name);
                    }
                }
            }

            return offered;
        }
    }
}
