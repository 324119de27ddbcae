using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Analyzers.Tests.AnalyzerVerifier<LayoutAudit.Analyzers.LayoutBudgetAnalyzer>;

namespace LayoutAudit.Analyzers.Tests
{
    public sealed class LA0002LayoutBudgetTests
    {
        [Fact]
        public async Task ReportsPaddingOverTheBudget()
        {
            const string source = "[LayoutAudit.AuditLayout(PaddingBudget = 4)] public struct Loose { public byte A; public long B; }";
            int padding = Runtime.Padding(Runtime.Measure(source, "Loose"));
            Assert.True(padding > 4);
            await Verify.VerifyAsync(source, Verify.Diagnostic(LayoutBudgetAnalyzer.PaddingOverBudget).WithLocation(1, 60).WithArguments("Loose", padding, 4));
        }

        [Fact]
        public async Task ReportsASizeOverTheMaximumForStructsAndClasses()
        {
            const string source = """
                [LayoutAudit.AuditLayout(MaxSize = 8)]
                public struct Pair { public long A; public long B; }

                [LayoutAudit.AuditLayout(MaxSize = 16)]
                public class Boxed { public long A; }
                """;
            var assembly = Runtime.Load(source);
            await Verify.VerifyAsync(
                source,
                Verify.Diagnostic(LayoutBudgetAnalyzer.SizeOverMaximum).WithLocation(2, 15).WithArguments("Pair", Runtime.Measure(assembly, "Pair").Size, "", 8),
                Verify.Diagnostic(LayoutBudgetAnalyzer.SizeOverMaximum).WithLocation(5, 14)
                    .WithArguments("Boxed", Runtime.Measure(assembly, "Boxed").Size, " on the heap (object header and method-table pointer included)", 16));
        }

        [Fact]
        public async Task ReportsBothBudgetsWhenBothAreExceeded()
        {
            const string source = "[LayoutAudit.AuditLayout(PaddingBudget = 0, MaxSize = 8)] public struct Both { public byte A; public long B; }";
            var measured = Runtime.Measure(source, "Both");
            await Verify.VerifyAsync(
                source,
                Verify.Diagnostic(LayoutBudgetAnalyzer.PaddingOverBudget).WithLocation(1, 73).WithArguments("Both", Runtime.Padding(measured), 0),
                Verify.Diagnostic(LayoutBudgetAnalyzer.SizeOverMaximum).WithLocation(1, 73).WithArguments("Both", measured.Size, "", 8));
        }

        [Theory]
        [InlineData("[LayoutAudit.AuditLayout(PaddingBudget = 7)] public struct AtBudget { public byte A; public long B; }")]
        [InlineData("[LayoutAudit.AuditLayout(MaxSize = 16)] public struct AtMaximum { public long A; public long B; }")]
        [InlineData("[LayoutAudit.AuditLayout(PaddingBudget = 0)] public struct NoPadding { public long A; public int B; public int C; }")]
        [InlineData("[LayoutAudit.AuditLayout] public struct NoBudget { public byte A; public long B; }")]
        [InlineData("[LayoutAudit.AuditLayout(PaddingBudget = -1, MaxSize = -1)] public struct Unlimited { public byte A; public long B; }")]
        [InlineData("public struct NotAudited { public byte A; public long B; }")]
        [InlineData("[LayoutAudit.AuditLayout(MaxSize = 1)] public struct Open<T> { public T Value; }")]
        public async Task StaysSilentWithinBudgetOrWithoutOne(string source)
        {
            await Verify.VerifyAsync(source);
        }

        [Fact]
        public async Task TheStatedBudgetsMatchTheRuntime()
        {
            // The silent cases above are silent because the runtime agrees: 7 bytes of padding, 16 bytes.
            Assert.Equal(7, Runtime.Padding(Runtime.Measure("public struct AtBudget { public byte A; public long B; }", "AtBudget")));
            Assert.Equal(16, Runtime.Measure("public struct AtMaximum { public long A; public long B; }", "AtMaximum").Size);
            Assert.Equal(0, Runtime.Padding(Runtime.Measure("public struct NoPadding { public long A; public int B; public int C; }", "NoPadding")));
            await Task.CompletedTask;
        }
    }
}
