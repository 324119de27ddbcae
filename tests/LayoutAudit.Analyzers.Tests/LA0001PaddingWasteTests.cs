using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = LayoutAudit.Analyzers.Tests.AnalyzerVerifier<LayoutAudit.Analyzers.PaddingWasteAnalyzer>;
using VerifyFix = LayoutAudit.Analyzers.Tests.CodeFixVerifier<LayoutAudit.Analyzers.PaddingWasteAnalyzer, LayoutAudit.Analyzers.CodeFixes.ReorderFieldsCodeFixProvider>;

namespace LayoutAudit.Analyzers.Tests
{
    public sealed class LA0001PaddingWasteTests
    {
        /// <summary>The diagnostic's sizes are the runtime's: the struct before and after the fix are both measured.</summary>
        private static DiagnosticResult Reorderable(int line, int column, string name, string before, string after, string typeName, string order)
        {
            int size = Runtime.Measure(before, typeName).Size;
            int best = Runtime.Measure(after, typeName).Size;
            Assert.True(best < size, $"the fixed {typeName} ({best} bytes) must be smaller than the original ({size} bytes)");
            return Verify.Diagnostic(PaddingWasteAnalyzer.Reorderable).WithLocation(line, column).WithArguments(name, size, order, best, size - best);
        }

        [Fact]
        public async Task ReordersTheSeedStructToTheSizeItPromised()
        {
            const string before = """
                [LayoutAudit.AuditLayout]
                public struct Shrink
                {
                    public byte A;
                    public long B;
                    public byte C;
                    public long D;
                    public byte E;
                }
                """;
            const string after = """
                [LayoutAudit.AuditLayout]
                public struct Shrink
                {
                    public long B;
                    public long D;
                    public byte A;
                    public byte C;
                    public byte E;
                }
                """;
            await VerifyFix.Create(before, after, Reorderable(2, 15, "Shrink", before, after, "Shrink", "B, D, A, C, E")).RunAsync();
        }

        [Fact]
        public async Task KeepsAttributesCommentsRegionsAndOtherMembersInPlace()
        {
            const string before = """
                using System;

                [LayoutAudit.AuditLayout]
                public struct Documented
                {
                    #region Data
                    /// <summary>A flag.</summary>
                    [Obsolete("old")]
                    public bool Flag; // trailing note

                    // The big one.
                    public double Value;
                    #endregion

                    public override string ToString() => "x";

                    public short Small { get; set; }
                }
                """;
            const string after = """
                using System;

                [LayoutAudit.AuditLayout]
                public struct Documented
                {
                    #region Data
                    // The big one.
                    public double Value;

                    public short Small { get; set; }
                    #endregion

                    public override string ToString() => "x";

                    /// <summary>A flag.</summary>
                    [Obsolete("old")]
                    public bool Flag; // trailing note
                }
                """;
            // Comments and attributes travel with their field; the #region and the blank lines stay where they were.
            await VerifyFix.Create(before, after, Reorderable(4, 15, "Documented", before, after, "Documented", "Value, Small, Flag")).RunAsync();
        }

        [Fact]
        public async Task MovesAMultiVariableDeclarationWhole()
        {
            const string before = """
                [LayoutAudit.AuditLayout]
                public struct Multi
                {
                    public byte A, B;
                    public long L;
                    public int I;
                    public byte C;
                }
                """;
            const string after = """
                [LayoutAudit.AuditLayout]
                public struct Multi
                {
                    public long L;
                    public int I;
                    public byte A, B;
                    public byte C;
                }
                """;
            await VerifyFix.Create(before, after, Reorderable(2, 15, "Multi", before, after, "Multi", "L, I, A, B, C")).RunAsync();

            const string splitBefore = """
                [LayoutAudit.AuditLayout]
                public struct Parted
                {
                    public byte A;
                    public long L, M;
                    public byte B;
                    public int I;
                }
                """;
            const string splitAfter = """
                [LayoutAudit.AuditLayout]
                public struct Parted
                {
                    public long L, M;
                    public int I;
                    public byte A;
                    public byte B;
                }
                """;
            await VerifyFix.Create(splitBefore, splitAfter, Reorderable(2, 15, "Parted", splitBefore, splitAfter, "Parted", "L, M, I, A, B")).RunAsync();
        }

        [Fact]
        public async Task MovesFieldsAcrossPartialDeclarationsKeepingEachPart()
        {
            const string first = """
                [LayoutAudit.AuditLayout]
                public partial struct Spread
                {
                    public byte A;
                    public long B;
                }
                """;
            const string second = """
                public partial struct Spread
                {
                    public byte C;
                    public void Touch() { }
                    public long D;
                }
                """;
            const string firstFixed = """
                [LayoutAudit.AuditLayout]
                public partial struct Spread
                {
                    public long B;
                    public long D;
                }
                """;
            const string secondFixed = """
                public partial struct Spread
                {
                    public byte A;
                    public void Touch() { }
                    public byte C;
                }
                """;
            int size = Runtime.Measure(Runtime.Load(first, second), "Spread").Size;
            int best = Runtime.Measure(Runtime.Load(firstFixed, secondFixed), "Spread").Size;
            var test = VerifyFix.Create(first, firstFixed, Verify.Diagnostic(PaddingWasteAnalyzer.Reorderable).WithLocation(2, 23).WithArguments("Spread", size, "B, D, A, C", best, size - best));
            test.TestState.Sources.Add(("Second.cs", second));
            test.FixedState.Sources.Add(("Second.cs", secondFixed));
            await test.RunAsync();
        }

        [Fact]
        public async Task DeclarationsMovingToAnotherFileKeepTheirTypes()
        {
            const string first = """
                using System;

                [LayoutAudit.AuditLayout]
                public partial struct Spread
                {
                    public Half H;
                    public long L;
                }
                """;
            const string second = """
                using System.Numerics;

                public partial struct Spread
                {
                    public byte B;
                    public Complex C;
                }
                """;

            // Complex and Half each move to a file without their using: they are written out in full there.
            const string firstFixed = """
                using System;

                [LayoutAudit.AuditLayout]
                public partial struct Spread
                {
                    public long L;
                    public System.Numerics.Complex C;
                }
                """;
            const string secondFixed = """
                using System.Numerics;

                public partial struct Spread
                {
                    public System.Half H;
                    public byte B;
                }
                """;
            int size = Runtime.Measure(Runtime.Load(first, second), "Spread").Size;
            int best = Runtime.Measure(Runtime.Load(firstFixed, secondFixed), "Spread").Size;
            var test = VerifyFix.Create(first, firstFixed, Verify.Diagnostic(PaddingWasteAnalyzer.Reorderable).WithLocation(4, 23).WithArguments("Spread", size, "L, C, H, B", best, size - best));
            test.TestState.Sources.Add(("Second.cs", second));
            test.FixedState.Sources.Add(("Second.cs", secondFixed));
            await test.RunAsync();
        }

        [Fact]
        public async Task FixAllReordersEveryStructInTheDocument()
        {
            const string before = """
                [LayoutAudit.AuditLayout]
                public struct One
                {
                    public bool A;
                    public long B;
                    public bool C;
                }

                [LayoutAudit.AuditLayout]
                public struct Two
                {
                    public byte A;
                    public int B;
                    public byte C;
                }
                """;
            const string after = """
                [LayoutAudit.AuditLayout]
                public struct One
                {
                    public long B;
                    public bool A;
                    public bool C;
                }

                [LayoutAudit.AuditLayout]
                public struct Two
                {
                    public int B;
                    public byte A;
                    public byte C;
                }
                """;
            var test = VerifyFix.Create(
                before,
                after,
                Reorderable(2, 15, "One", before, after, "One", "B, A, C"),
                Reorderable(10, 15, "Two", before, after, "Two", "B, A, C"));
            test.NumberOfFixAllIterations = 1;
            await test.RunAsync();
        }

        [Theory]
        [InlineData("[LayoutAudit.AuditLayout] public struct Bad { public bool A; public long B; }")]
        [InlineData("[LayoutAudit.AuditLayout] public struct Better { public long B; public bool A; }")]
        [InlineData("[LayoutAudit.AuditLayout] public struct Tight { public long A; public int B; public short C; public byte D; }")]
        [InlineData("[LayoutAudit.AuditLayout] public struct WithReference { public byte A; public object B; public byte C; }")]
        [InlineData("[LayoutAudit.AuditLayout] public class Auto { public byte A; public long B; public byte C; }")]
        [InlineData("public struct NotAudited { public byte A; public long B; public byte C; }")]
        [InlineData("[LayoutAudit.AuditLayout] public struct Empty { }")]
        [InlineData("[LayoutAudit.AuditLayout] [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 1)] public struct Packed { public byte A; public long B; }")]
        [InlineData("[LayoutAudit.AuditLayout] public struct Generic<T> { public byte A; public T B; public byte C; }")]
        public async Task StaysSilentWhereNoOrderIsSmallerOrTheTypeIsNotAudited(string source)
        {
            await Verify.VerifyAsync(source);
        }

        [Fact]
        public async Task TheOptionAuditsEverySequentialStruct()
        {
            const string source = "public struct Plain { public byte A; public long B; public byte C; }";
            const string reordered = "public struct Plain { public long B; public byte A; public byte C; }";
            await Verify.VerifyAsync(source, "layout_audit.LA0001.all_sequential_structs = true", Reorderable(1, 15, "Plain", source, reordered, "Plain", "B, A, C"));
            await Verify.VerifyAsync(source, "layout_audit.LA0001.all_sequential_structs = false");
        }

        [Theory]
        [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, CharSet = System.Runtime.InteropServices.CharSet.Unicode)]", "", "StructLayout.CharSet declares it for native marshalling")]
        [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]", "", "[StructLayout] is written out, which declares its field order to matter (remove it to allow the reorder)")]
        [InlineData("", "public static class Native { [System.Runtime.InteropServices.DllImport(\"native\")] public static extern void Send(ref Wire wire); }", "it is passed to the native method 'Native.Send'")]
        [InlineData("", "public static unsafe partial class Generated { [System.Runtime.InteropServices.LibraryImport(\"native\")] static partial void Take(Wire* wire); static partial void Take(Wire* wire) { } }", "it is passed to the native method 'Generated.Take'")]
        public async Task SaysWhyItDoesNotReorderAnInteropStruct(string attribute, string nativeMethod, string reason)
        {
            string source = attribute + "\npublic unsafe struct Wire { public byte A; public long B; public byte C; }\n" + nativeMethod;
            const string smaller = "public struct Wire { public long B; public byte A; public byte C; }";
            int size = Runtime.Measure(source, "Wire").Size;
            int best = Runtime.Measure(smaller, "Wire").Size;
            var expected = Verify.Diagnostic(PaddingWasteAnalyzer.OrderIsAContract).WithLocation(2, 22).WithArguments("Wire", size, "B, A, C", best, reason);
            await Verify.VerifyAsync(source, "layout_audit.LA0001.all_sequential_structs = true", expected);

            // No fix is offered: the fixed state is the source itself.
            var test = VerifyFix.Create(source, source, expected);
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\nlayout_audit.LA0001.all_sequential_structs = true"));
            await test.RunAsync();
        }

        [Fact]
        public async Task SaysWhyItDoesNotReorderFieldsWithMarshalAs()
        {
            const string source = """
                [LayoutAudit.AuditLayout]
                public struct Marshalled
                {
                    [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.U1)] public bool A;
                    public long B;
                    public byte C;
                }
                """;
            const string smaller = "public struct Marshalled { public long B; public bool A; public byte C; }";
            int size = Runtime.Measure(source, "Marshalled").Size;
            int best = Runtime.Measure(smaller, "Marshalled").Size;
            await Verify.VerifyAsync(source, Verify.Diagnostic(PaddingWasteAnalyzer.OrderIsAContract).WithLocation(2, 15)
                .WithArguments("Marshalled", size, "B, A, C", best, "field 'A' has [MarshalAs], so it is declared for native marshalling"));
        }

        [Fact]
        public async Task ReportsHolesOfExplicitAndPackedLayoutsWithoutAFix()
        {
            const string source = """
                using System.Runtime.InteropServices;

                [LayoutAudit.AuditLayout]
                [StructLayout(LayoutKind.Explicit)]
                public struct Header
                {
                    [FieldOffset(0)] public byte Tag;
                    [FieldOffset(8)] public long Length;
                }

                [LayoutAudit.AuditLayout]
                [StructLayout(LayoutKind.Sequential, Pack = 4)]
                public struct Packed
                {
                    public byte Tag;
                    public long Length;
                }
                """;
            var assembly = Runtime.Load(source);
            // Both hold 9 bytes of data; everything else the runtime gives them between the fields is padding.
            var header = Runtime.Measure(assembly, "Header");
            var packed = Runtime.Measure(assembly, "Packed");
            int headerHoles = Runtime.Padding(header) - TrailingPadding(header);
            int packedHoles = Runtime.Padding(packed) - TrailingPadding(packed);
            var expected = new[]
            {
                Verify.Diagnostic(PaddingWasteAnalyzer.HolesInFixedLayout).WithLocation(5, 15).WithArguments("Header", headerHoles, "its layout is explicit, so every offset is written out"),
                Verify.Diagnostic(PaddingWasteAnalyzer.HolesInFixedLayout).WithLocation(13, 15).WithArguments("Packed", packedHoles, "StructLayout.Pack = 4 makes the packed layout a contract"),
            };
            var test = VerifyFix.Create(source, source, expected);
            await test.RunAsync();
        }

        [Theory]
        [InlineData("[LayoutAudit.AuditLayout] public record struct Positional(byte A, long B, byte C);", "Positional", "'A' is a positional parameter, whose position cannot be moved")]
        [InlineData("[LayoutAudit.AuditLayout] public struct Captured(byte a, long b) { public byte C; public long D; public long Sum() => a + b + C + D; }", "Captured", "primary constructor parameter 'a' is stored as a field, whose position cannot be moved")]
        [InlineData("#define DEBUG\n[LayoutAudit.AuditLayout] public struct Conditional {\n#if DEBUG\n public byte A;\n#endif\n public long B; public byte C; }", "Conditional", "its members sit among #if directives, which a reorder could break")]
        public async Task SaysWhyItCannotMoveADeclaration(string source, string name, string reason)
        {
            var diagnostic = Assert.Single(await Diagnostics.RunAsync(new PaddingWasteAnalyzer(), source));
            Assert.Equal(PaddingWasteAnalyzer.Id, diagnostic.Id);
            Assert.Equal(name, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
            Assert.StartsWith($"'{name}' is {Runtime.Measure(source, name).Size} bytes and ", diagnostic.GetMessage());
            Assert.EndsWith("but no reorder is offered: " + reason, diagnostic.GetMessage());
            Assert.False(diagnostic.Properties.ContainsKey(PaddingWasteAnalyzer.OrderProperty));
        }

        private static int TrailingPadding(LayoutAudit.Runtime.MeasuredLayout layout) => layout.Size - layout.Fields.Max(f => f.Offset + f.Size);
    }
}
