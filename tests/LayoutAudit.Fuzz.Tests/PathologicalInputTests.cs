using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace LayoutAudit.Fuzz.Tests
{
    /// <summary>
    /// Each pathological type, one case each, through everything an IDE runs (generators, analyzers, every code fix
    /// and Fix All): nothing throws or hangs, and the user sees a layout for a valid type, LA0010 with the reason
    /// where only the runtime would refuse the type, and nothing from LayoutAudit where the compiler already reports
    /// the error. Never a size for a type that has none.
    /// </summary>
    public sealed class PathologicalInputTests
    {
        /// <summary>What the generated file of a type with a layout starts with.</summary>
        private const string LayoutHeader = " as the CLR lays it out with ";

        private readonly ITestOutputHelper _output;

        public PathologicalInputTests(ITestOutputHelper output) => _output = output;

        public static TheoryData<string> Cases => new(PathologicalCases.All.Select(c => c.Name));

        [Theory]
        [MemberData(nameof(Cases))]
        public async Task NoExtensionThrowsOrHangs(string name)
        {
            var failures = await ExtensionRunner.RunAsync(PathologicalCases.Named(name).Source);
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(5)));
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void TheUserSeesALayoutOrWhyThereIsNone(string name)
        {
            var pathological = PathologicalCases.Named(name);
            var compilation = LargeInputs.Compilation(LargeInputs.Parse(pathological.Source));
            var run = CSharpGeneratorDriver.Create(Extensions.All.Generators, parseOptions: LargeInputs.ParseOptions)
                .RunGenerators(compilation)
                .GetRunResult();
            Assert.All(run.Results, r => Assert.Null(r.Exception));
            var generated = run.Results.SelectMany(r => r.GeneratedSources).Select(s => s.SourceText.ToString()).ToList();
            var noLayout = run.Diagnostics.Where(d => d.Id == "LA0010").ToList();
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            string shortName = pathological.Type.Split('.', '+', '`').Where(p => p.Length > 0 && !char.IsDigit(p[0])).Last();
            bool laidOut = generated.Any(g => g.Contains(LayoutHeader, StringComparison.Ordinal) && g.Contains(shortName, StringComparison.Ordinal));
            _output.WriteLine($"{name}: compiler errors [{string.Join(" ", errors.Select(e => e.Id).Distinct())}], LA0010 [{string.Join(" | ", noLayout.Select(d => d.GetMessage()))}], generated {generated.Count}, laid out {laidOut}");

            switch (pathological.Expected)
            {
                case Expected.Layout:
                    Assert.Equal(pathological.Error, string.Join(" ", errors.Select(e => e.Id).Distinct()));
                    Assert.Empty(noLayout);
                    Assert.True(laidOut, $"no layout generated for {pathological.Type}");
                    break;

                case Expected.NoLayoutSaysWhy or Expected.CompilerErrorElsewhere:
                    if (pathological.Expected == Expected.NoLayoutSaysWhy)
                    {
                        Assert.Empty(errors);
                    }
                    else
                    {
                        Assert.Contains(errors, e => e.Id == pathological.Error);
                    }

                    var diagnostic = Assert.Single(noLayout);
                    Assert.Equal(shortName, pathological.Source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
                    Assert.Contains(pathological.Detail, diagnostic.GetMessage(), StringComparison.Ordinal);
                    Assert.False(generated.Any(g => g.Contains(LayoutHeader, StringComparison.Ordinal)), "a size was generated for a type with no layout");

                    // The generated file says why too, where the verifier and the report read it.
                    Assert.Contains(generated, g => g.Contains(pathological.Detail, StringComparison.Ordinal));
                    break;

                case Expected.CompilerError:
                    Assert.Contains(errors, e => e.Id == pathological.Detail);
                    Assert.Empty(noLayout);
                    Assert.False(laidOut, $"a size was generated for {pathological.Type}, which does not compile");
                    break;
            }
        }

        [Fact]
        public void ThousandsOfAuditedStructsInOneFileEachGetTheirLayout()
        {
            var compilation = LargeInputs.Compilation(LargeInputs.Parse(PathologicalCases.Named("3,000 audited structs in one file").Source));
            var run = CSharpGeneratorDriver.Create(Extensions.All.Generators, parseOptions: LargeInputs.ParseOptions).RunGenerators(compilation).GetRunResult();
            var texts = run.Results.SelectMany(r => r.GeneratedSources).Select(s => s.SourceText.ToString()).ToImmutableArray();
            Assert.Equal(3000, texts.Count(t => t.Contains(LayoutHeader, StringComparison.Ordinal)));
            Assert.Empty(run.Diagnostics);
        }
    }
}
