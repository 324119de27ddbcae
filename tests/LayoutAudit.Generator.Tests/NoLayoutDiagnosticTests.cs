using System;
using System.Linq;
using LayoutAudit.Runtime;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LayoutAudit.Generator.Tests
{
    /// <summary>LA0010: an audited type with no layout is reported once, at its name, unless the compiler already
    /// reports the cause.</summary>
    public class NoLayoutDiagnosticTests
    {
        [Theory]
        [InlineData("[AuditLayout] public struct Box<T> { public T Value; }", "Box", "open generic")]
        [InlineData("[AuditLayout] public static class Holder { }", "Holder", "static class")]
        [InlineData("[AuditLayout] public struct Simd { public System.Numerics.Vector<float> Lanes; }", "Simd", "SIMD width")]
        [InlineData("[AuditLayout, StructLayout(LayoutKind.Explicit)] public struct Overlap { [FieldOffset(0)] public object O; [FieldOffset(0)] public long L; }", "Overlap", "overlaps the non-reference field")]
        public void TypeWithNoLayoutIsReportedAtItsName(string declaration, string name, string reason)
        {
            string source = "using System.Runtime.InteropServices; using LayoutAudit; namespace Ns { " + declaration + " }";

            var (_, diagnostics, _) = GeneratorHarness.Run(source);

            var diagnostic = Assert.Single(diagnostics, d => d.Id == "LA0010");
            Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
            Assert.Equal(name, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
            Assert.Contains(reason, diagnostic.GetMessage(), StringComparison.Ordinal);
            Assert.Equal("https://github.com/layoutaudit/layoutaudit/blob/main/docs/rules/LA0010.md", diagnostic.Descriptor.HelpLinkUri);
        }

        [Theory]
        [InlineData("[AuditLayout] public struct S { public Missing M; }", "CS0246")]
        [InlineData("public struct Inner { public Missing M; } [AuditLayout] public struct S { public Inner I; public int N; }", "CS0246")]
        [InlineData("[AuditLayout] public class S : MissingBase { public int N; }", "CS0246")]
        [InlineData("[AuditLayout, StructLayout(LayoutKind.Explicit)] public struct S { public int NoOffset; }", "CS0625")]
        public void NothingWhenTheCompilerReportsTheCause(string declaration, string compilerError)
        {
            string source = "using System.Runtime.InteropServices; using LayoutAudit; namespace Ns { " + declaration + " }";

            var (_, diagnostics, _) = GeneratorHarness.Run(source);

            Assert.Contains(diagnostics, d => d.Id == compilerError);
            Assert.DoesNotContain(diagnostics, d => d.Id == "LA0010");
        }

        [Fact]
        public void TheProblemIsRegisteredSoTheVerifierCanSayWhy()
        {
            var (output, diagnostics, _) = GeneratorHarness.Run("using LayoutAudit; namespace Ns { [AuditLayout] public struct Box<T> { public T Value; } }");
            Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
            var box = GeneratorHarness.Load(output).GetType("Ns.Box`1", throwOnError: true)!;

            Assert.False(LayoutVerifier.TryGetPrediction(box, out var layout, out var problem));
            Assert.Null(layout);
            Assert.Equal(Core.LayoutProblemKind.NotApplicable, problem!.Kind);
            var exception = Assert.Throws<InvalidOperationException>(() => LayoutVerifier.Verify(box));
            Assert.Contains("open generic", exception.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void BrokenCodeNeverMakesTheGeneratorThrow()
        {
            // Half-typed declarations, as an editor sees them while the user types.
            string[] sources =
            {
                "using LayoutAudit; [AuditLayout] public struct",
                "using LayoutAudit; [AuditLayout] public struct S { public int",
                "using LayoutAudit; [AuditLayout(CacheLineSize = \"x\")] public struct S { public int A; }",
                "using LayoutAudit; [AuditLayout] public struct S : S { public S Self; }",
                "using LayoutAudit; [AuditLayout] [AuditLayout] public class C { public C Next; }",
                "using LayoutAudit; [AuditLayout] public partial struct P { public int A; } public partial struct P { public long B; }",
                "using LayoutAudit; public class O<T> { [AuditLayout] public struct In { public T Value; } }",
            };

            foreach (string source in sources)
            {
                var (_, diagnostics, run) = GeneratorHarness.Run(source);
                Assert.DoesNotContain(diagnostics, d => d.Id is "CS8785" or "AD0001");
                Assert.Null(run.Exception);
            }
        }
    }
}
