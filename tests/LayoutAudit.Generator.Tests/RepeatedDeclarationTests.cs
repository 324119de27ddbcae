using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LayoutAudit.Generator.Tests
{
    /// <summary>One type declared, or annotated, more than once gets one generated file: a second file with the same
    /// name would make the generator throw (CS8785) while the user is typing.</summary>
    public class RepeatedDeclarationTests
    {
        [Theory]
        [InlineData("[AuditLayout] public struct S { public int A; } [AuditLayout] public struct S { public long B; }", "CS0101")]
        [InlineData("[AuditLayout] public partial struct S { public int A; } [AuditLayout] public partial struct S { public long B; }", "CS0579")]
        [InlineData("[AuditLayout] public class C { public int A; } [AuditLayout] public class C { }", "CS0101")]
        public void OneFilePerTypeAndTheCompilerReportsTheError(string declarations, string compilerError)
        {
            string source = "using LayoutAudit; namespace Ns { " + declarations + " }";

            var (_, diagnostics, run) = GeneratorHarness.Run(source);

            Assert.Null(run.Exception);
            Assert.DoesNotContain(diagnostics, d => d.Id == "CS8785");
            Assert.Contains(diagnostics, d => d.Id == compilerError);
            Assert.Single(run.GeneratedSources);
        }

        [Fact]
        public void TypesWhoseNamesDifferOnlyInCaseEachGetTheirFile()
        {
            string source = "using LayoutAudit; namespace Ns { [AuditLayout] public struct Pair { public int A; } [AuditLayout] public struct pair { public long B; } [AuditLayout] public struct PAIR { public byte C; } }";

            var (_, diagnostics, run) = GeneratorHarness.Run(source);

            Assert.Null(run.Exception);
            Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
            Assert.Equal(3, run.GeneratedSources.Length);
            Assert.Equal(3, run.GeneratedSources.Select(s => s.HintName.ToUpperInvariant()).Distinct().Count());
        }

        [Theory]
        [InlineData("Ns.Pair", "Ns.pair", "Ns.PAIR", "ns.Pair", "NS.PAIR", "Ns.pAir")]
        [InlineData("A.B", "a.b", "A.b", "a.B", "AB", "ab", "aB", "Ab")]
        [InlineData("Box`1", "box`1", "Box_x00601", "box_X00601", "Outer+Inner", "outer+inner", "Outer.Inner")]
        public void FileNamesDifferWithoutCaseWhenTheTypeNamesDiffer(params string[] reflectionNames)
        {
            var fileNames = reflectionNames.Select(LayoutReportEmitter.HintName).ToList();

            Assert.Equal(reflectionNames.Length, fileNames.Distinct(System.StringComparer.OrdinalIgnoreCase).Count());
            Assert.All(fileNames, f => Assert.EndsWith(".LayoutAudit.g.cs", f, System.StringComparison.Ordinal));
        }

        [Fact]
        public void PartialTypeAnnotatedOnOnePartGetsOneFileWithEveryPartsFields()
        {
            string source = "using LayoutAudit; namespace Ns { [AuditLayout] public partial struct S { public byte A; } public partial struct S { public long B; } }";

            var (_, diagnostics, run) = GeneratorHarness.Run(source);

            Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
            var file = Assert.Single(run.GeneratedSources).SourceText.ToString();
            Assert.Contains(" A;", file, System.StringComparison.Ordinal);
            Assert.Contains(" B;", file, System.StringComparison.Ordinal);
        }
    }
}
