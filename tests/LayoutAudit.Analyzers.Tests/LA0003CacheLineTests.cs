using System.Linq;
using System.Threading.Tasks;
using LayoutAudit.Runtime;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = LayoutAudit.Analyzers.Tests.AnalyzerVerifier<LayoutAudit.Analyzers.CacheLineAnalyzer>;

namespace LayoutAudit.Analyzers.Tests
{
    public sealed class LA0003CacheLineTests
    {
        private static MeasuredField Field(MeasuredLayout layout, string name) => layout.Fields.Single(f => f.Name == name);

        private static DiagnosticResult Straddles(int line, int column, MeasuredLayout layout, string field, int lineSize)
        {
            var measured = Field(layout, field);
            int boundary = (measured.Offset + measured.Size - 1) / lineSize * lineSize;
            Assert.True(boundary > measured.Offset, "the runtime must really place the field across the boundary");
            return Verify.Diagnostic(CacheLineAnalyzer.Straddles).WithLocation(line, column).WithArguments(field, measured.Size, measured.Offset, lineSize, boundary, layout.Name);
        }

        [Fact]
        public async Task ReportsAFieldAcrossACacheLineBoundary()
        {
            const string source = """
                [LayoutAudit.AuditLayout(CacheLineSize = 32)]
                public struct Record
                {
                    public long A, B, C;
                    public int D;
                    public System.Guid Id;
                }
                """;
            var layout = Runtime.Measure(source, "Record");
            await Verify.VerifyAsync(source, Straddles(6, 24, layout, "Id", 32));
        }

        [Fact]
        public async Task ReadsTheCacheLineSizeFromEditorConfigWhenTheAttributeLeavesItOut()
        {
            const string source = """
                [LayoutAudit.AuditLayout]
                public struct Record
                {
                    public long A, B, C;
                    public int D;
                    public System.Guid Id;
                }
                """;
            var layout = Runtime.Measure(source, "Record");
            await Verify.VerifyAsync(source, "layout_audit.cache_line_size = 32", Straddles(6, 24, layout, "Id", 32));
            await Verify.VerifyAsync(source);
        }

        [Fact]
        public async Task CountsAClassFromItsObjectHeader()
        {
            const string source = """
                [LayoutAudit.AuditLayout(CacheLineSize = 16)]
                public class Entry
                {
                    public long A;
                    public int B;
                    public System.Guid Id;
                }
                """;
            var id = Field(Runtime.Measure(source, "Entry"), "Id");
            // Offsets count from the reference; the object (its header) starts one pointer earlier.
            int start = id.Offset + 8;
            int boundary = (start + id.Size - 1) / 16 * 16;
            Assert.True(boundary > start, "the runtime must really place the field across the boundary");
            await Verify.VerifyAsync(source, Verify.Diagnostic(CacheLineAnalyzer.Straddles).WithLocation(6, 24).WithArguments("Id", id.Size, id.Offset, 16, boundary, "Entry"));
        }

        [Fact]
        public async Task ReportsFieldsWrittenByDifferentThreadsOnOneLine()
        {
            const string source = """
                public class Counters
                {
                    [LayoutAudit.WrittenBy("producer")] public long Produced;
                    [LayoutAudit.WrittenBy("consumer")] public long Consumed;
                }
                """;
            var layout = Runtime.Measure(source, "Counters");
            var (first, second) = Ordered(Field(layout, "Produced"), Field(layout, "Consumed"));
            int gap = second.Offset - (first.Offset + first.Size);
            int line = second.Name == "Consumed" ? 4 : 3;
            await Verify.VerifyAsync(source, Verify.Diagnostic(CacheLineAnalyzer.FalseSharing).WithLocation(line, 53)
                .WithArguments(second.Name, Writer(second.Name), gap, first.Name, Writer(first.Name), 64));
        }

        [Fact]
        public async Task SeesThatAClassMovesItsPaddingStructAfterTheCounters()
        {
            // Automatic layout places struct fields last: the padding between the counters ends up behind both.
            const string source = """
                [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = 64)]
                public struct Line { private byte _unused; }

                public class Counters
                {
                    [LayoutAudit.WrittenBy("producer")] public long Produced;
                    public Line Padding;
                    [LayoutAudit.WrittenBy("consumer")] public long Consumed;
                }
                """;
            var layout = Runtime.Measure(source, "Counters");
            var produced = Field(layout, "Produced");
            var consumed = Field(layout, "Consumed");
            Assert.True(consumed.Offset - produced.Offset < 64, "the runtime keeps the counters together");
            await Verify.VerifyAsync(source, Verify.Diagnostic(CacheLineAnalyzer.FalseSharing).WithLocation(8, 53)
                .WithArguments("Consumed", "consumer", consumed.Offset - (produced.Offset + produced.Size), "Produced", "producer", 64));
        }

        [Fact]
        public async Task HonoursTheCacheLineSizeForFalseSharing()
        {
            const string source = """
                [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = 64)]
                public struct Line { private byte _unused; }

                public struct Counters
                {
                    [LayoutAudit.WrittenBy("producer")] public long Produced;
                    public Line Padding;
                    [LayoutAudit.WrittenBy("consumer")] public long Consumed;
                }
                """;
            var layout = Runtime.Measure(source, "Counters");
            int gap = Field(layout, "Consumed").Offset - (Field(layout, "Produced").Offset + 8);
            Assert.True(gap >= 64 && gap < 128);
            await Verify.VerifyAsync(source);
            await Verify.VerifyAsync(source, "layout_audit.cache_line_size = 128", Verify.Diagnostic(CacheLineAnalyzer.FalseSharing).WithLocation(8, 53)
                .WithArguments("Consumed", "consumer", gap, "Produced", "producer", 128));
        }

        [Theory]
        [InlineData("public class SameWriter { [LayoutAudit.WrittenBy(\"worker\")] public long A; [LayoutAudit.WrittenBy(\"worker\")] public long B; }")]
        [InlineData("public class OneMarked { [LayoutAudit.WrittenBy(\"worker\")] public long A; public long B; }")]
        [InlineData("public class Unmarked { public long A; public long B; }")]
        [InlineData("[LayoutAudit.AuditLayout] public struct Aligned { public byte A; public long B; public System.Guid C; public int D; }")]
        [InlineData("[LayoutAudit.AuditLayout] public struct Big { public long A; public Inner I; } public struct Inner { public long X0, X1, X2, X3, X4, X5, X6, X7, X8; }")]
        [InlineData("public struct NotAudited { public long A, B, C; public int D; public System.Guid Id; }")]
        public async Task StaysSilentWhereNoLineIsShared(string source)
        {
            await Verify.VerifyAsync(source);
        }

        private static (MeasuredField First, MeasuredField Second) Ordered(MeasuredField a, MeasuredField b) => a.Offset < b.Offset ? (a, b) : (b, a);

        private static string Writer(string field) => field == "Produced" ? "producer" : "consumer";
    }
}
