using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LayoutAudit.Generator.Tests
{
    /// <summary>Edits that cannot change a layout leave every output cached; an edit to one struct's fields
    /// regenerates that struct's file only.</summary>
    public class IncrementalTests
    {
        private const string First = """
            using LayoutAudit;
            namespace Ns
            {
                [AuditLayout] public struct A { public byte X; public long Y; public int Method() { return 1; } }
                [AuditLayout] public class B { public int X; public string? Name; }
            }
            """;

        private const string Second = """
            using LayoutAudit;
            namespace Ns
            {
                [AuditLayout] public struct C { public short X; public A Inner; }
                [AuditLayout] public record struct D(int X, bool Y);
            }
            """;

        private const string Plain = """
            namespace Ns
            {
                public static class Helpers { public static int Twice(int x) { return 2 * x; } }
            }
            """;

        [Fact]
        public void EditInAFileWithNoAuditedTypeLeavesEveryOutputCached()
        {
            var outputs = OutputReasons(RunAfterEdit(2, Plain.Replace("return 2 * x;", "return x + x; // changed")));

            Assert.Equal(4, outputs.Count);
            Assert.All(outputs, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, reason.ToString()));
        }

        [Fact]
        public void EditInAMethodBodyOfAnAuditedTypeLeavesEveryOutputCached()
        {
            var outputs = OutputReasons(RunAfterEdit(0, First.Replace("return 1;", "int two = 2; return two - 1;")));

            Assert.Equal(4, outputs.Count);
            Assert.All(outputs, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, reason.ToString()));
        }

        [Fact]
        public void EditToOneStructsFieldsRegeneratesOnlyItsFile()
        {
            var outputs = OutputReasons(RunAfterEdit(1, Second.Replace("public struct C { public short X;", "public struct C { public long X;")));

            Assert.Equal(1, outputs.Count(r => r == IncrementalStepRunReason.Modified));
            Assert.Equal(3, outputs.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        }

        [Fact]
        public void EditToANestedStructRegeneratesTheStructsThatHoldIt()
        {
            // C holds A by value: A's new field moves C's fields, so both files change, and only those.
            var run = RunAfterEdit(0, First.Replace("public byte X; public long Y;", "public byte X; public long Y; public long Z;"));

            var modified = run.TrackedSteps[AuditLayoutGenerator.Steps.AuditedTypes]
                .SelectMany(step => step.Outputs)
                .Where(o => o.Reason == IncrementalStepRunReason.Modified)
                .Select(o => ((AuditedType)o.Value).Name)
                .OrderBy(n => n);
            Assert.Equal(new[] { "A", "C" }, modified);
            Assert.Equal(2, OutputReasons(run).Count(r => r == IncrementalStepRunReason.Modified));
        }

        [Fact]
        public void DeclarationEditElsewhereReachesATypeWhoseFileDidNotChange()
        {
            // The audited file stays the same tree, but what its field's type means changes in another file.
            const string audited = "using LayoutAudit; [AuditLayout] public struct S { public Number N; public byte B; }";
            var compilation = GeneratorHarness.Compile("Alias", new[] { audited, "global using Number = System.Int64;" });
            var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
            Assert.Contains("long N;", GeneratorHarness.GeneratedText(driver.GetRunResult().Results.Single(), "S"), System.StringComparison.Ordinal);

            var aliasTree = compilation.SyntaxTrees.ElementAt(1);
            var edited = compilation.ReplaceSyntaxTree(aliasTree, CSharpSyntaxTree.ParseText("global using Number = System.Int16;", GeneratorHarness.ParseOptions, aliasTree.FilePath));
            var second = driver.RunGenerators(edited).GetRunResult().Results.Single();

            Assert.Equal(new[] { IncrementalStepRunReason.Modified }, OutputReasons(second));
            Assert.Contains("short N;", GeneratorHarness.GeneratedText(second, "S"), System.StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("public struct Inner(long x) { public long Get() => 0; }", "public long Get() => 0;", "public long Get() => x;")]
        [InlineData("public struct Inner { public long P { get => 0; set { } } }", "get => 0; set { }", "get => field; set => field = value;")]
        public void BodyEditThatAddsAFieldReachesTheStructsThatHoldIt(string inner, string body, string bodyThatAddsAField)
        {
            // A primary-constructor parameter used in a body, and the field keyword in an accessor, make a field: such
            // bodies count as declarations, so the holder in an unchanged file is laid out again.
            const string holder = "using LayoutAudit; [AuditLayout] public struct Holder { public Inner I; public byte B; }";
            var compilation = GeneratorHarness.Compile("Bodies", new[] { holder, inner });
            var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
            string before = GeneratorHarness.GeneratedText(driver.GetRunResult().Results.Single(), "Holder");

            var innerTree = compilation.SyntaxTrees.ElementAt(1);
            var edited = compilation.ReplaceSyntaxTree(innerTree, CSharpSyntaxTree.ParseText(inner.Replace(body, bodyThatAddsAField), GeneratorHarness.ParseOptions, innerTree.FilePath));
            var second = driver.RunGenerators(edited).GetRunResult().Results.Single();

            Assert.Equal(new[] { IncrementalStepRunReason.Modified }, OutputReasons(second));
            Assert.NotEqual(before, GeneratorHarness.GeneratedText(second, "Holder"));

            // The regenerated report states the size the runtime gives the edited code.
            var (after, _, _) = GeneratorHarness.Run(GeneratorHarness.Compile("BodiesAfter" + System.Guid.NewGuid().ToString("N"), new[] { holder, inner.Replace(body, bodyThatAddsAField) }));
            var measured = LayoutAudit.Runtime.RuntimeLayoutInspector.Measure(GeneratorHarness.Load(after).GetType("Holder", throwOnError: true)!);
            Assert.Contains($"size {measured.Size},", GeneratorHarness.GeneratedText(second, "Holder"), System.StringComparison.Ordinal);
        }

        [Fact]
        public void PlatformChangeReachesEveryType()
        {
            var compilation = GeneratorHarness.Compile("Platform", new[] { First, Second, Plain });
            var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

            var x86 = compilation.WithOptions(compilation.Options.WithPlatform(Platform.X86));
            var second = driver.RunGenerators(x86).GetRunResult().Results.Single();

            // Every model now says 4-byte pointers; the class B (header, string reference) changes size as well.
            Assert.All(
                second.TrackedSteps[AuditLayoutGenerator.Steps.AuditedTypes].SelectMany(step => step.Outputs),
                output => Assert.Equal(4, ((AuditedType)output.Value).Layout!.PointerSize));
            Assert.Contains("4-byte pointers", GeneratorHarness.GeneratedText(second, "Ns.B"), System.StringComparison.Ordinal);
        }

        /// <summary>The reasons of the <c>SourceOutput</c> step: one per generated file.</summary>
        private static List<IncrementalStepRunReason> OutputReasons(GeneratorRunResult run) =>
            run.TrackedOutputSteps["SourceOutput"].SelectMany(step => step.Outputs).Select(o => o.Reason).ToList();

        /// <summary>Runs the generator, replaces one file, and returns the result of running it again.</summary>
        private static GeneratorRunResult RunAfterEdit(int file, string newText)
        {
            var compilation = GeneratorHarness.Compile("Incremental", new[] { First, Second, Plain });
            var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
            var first = driver.GetRunResult().Results.Single();
            Assert.Equal(4, first.GeneratedSources.Length);

            var oldTree = compilation.SyntaxTrees.ElementAt(file);
            var edited = compilation.ReplaceSyntaxTree(oldTree, CSharpSyntaxTree.ParseText(newText, GeneratorHarness.ParseOptions, oldTree.FilePath));
            var second = driver.RunGenerators(edited).GetRunResult().Results.Single();
            Assert.Equal(4, second.GeneratedSources.Length);
            return second;
        }
    }
}
