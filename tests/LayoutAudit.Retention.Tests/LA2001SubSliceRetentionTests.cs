using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Fix = LayoutAudit.Retention.Tests.CodeFixVerifier<LayoutAudit.Retention.SubSliceRetentionAnalyzer, LayoutAudit.Retention.CodeFixes.CopySliceCodeFixProvider>;
using Verify = LayoutAudit.Retention.Tests.AnalyzerVerifier<LayoutAudit.Retention.SubSliceRetentionAnalyzer>;

namespace LayoutAudit.Retention.Tests
{
    public sealed class LA2001SubSliceRetentionTests
    {
        private static string Wrap(string members) => $$"""
            using System;
            using System.Buffers;
            using System.Collections.Generic;
            using System.IO;
            using System.Text;
            using System.Threading.Tasks;

            public sealed record Line(ReadOnlyMemory<byte> Text);
            public sealed class Holder { public Memory<byte> Data { get; set; } }
            public struct Window { public Memory<byte> Part; }

            public class Sample
            {
                private readonly byte[] _buffer = new byte[4096];
                private static readonly byte[] s_table = new byte[256];
                private Memory<byte> _last;
                private Func<int>? _callback;
                private readonly List<ReadOnlyMemory<byte>> _slices = new();
                private readonly Dictionary<string, Memory<byte>> _map = new();
                private readonly ArraySegment<byte>[] _parts = new ArraySegment<byte>[4];
                public ReadOnlyMemory<char> Last { get; set; }
                private static void Use(object value) { }
                private static void Process(ReadOnlyMemory<byte> value) { }

            {{members}}
            }
            """;

        public static IEnumerable<object[]> Fires() => new[]
        {
            // The seed: read a whole log, return a few hundred bytes of it.
            """
            ReadOnlyMemory<byte> ExtractErrorBlock(string path)
            {
                byte[] massiveLogFile = File.ReadAllBytes(path);
                int start = massiveLogFile.AsSpan().IndexOf("FATAL"u8);
                return [|massiveLogFile.AsMemory(start, 500)|];
            }
            """,
            "Memory<byte> M(string p) { var log = File.ReadAllBytes(p); var slice = log.AsMemory(1, 2); return [|slice|]; }",
            "ReadOnlyMemory<char> M(string p) { var text = File.ReadAllText(p); return [|text.AsMemory(5, 10)|]; }",
            "ArraySegment<byte> M() { var data = new byte[1000]; return [|new ArraySegment<byte>(data, 10, 20)|]; }",
            "void M() { var buffer = new byte[100]; _last = [|new Memory<byte>(buffer, 1, 2)|]; }",
            "void M(string p) { var text = File.ReadAllText(p); Last = [|text.AsMemory(10)|]; }",
            "Memory<byte> M() { var buf = new byte[64]; return [|buf.AsMemory()[10..20]|]; }",
            "Memory<byte> M() { var buf = new byte[64]; var whole = buf.AsMemory(); return [|whole.Slice(1, 2)|]; }",
            "ReadOnlyMemory<byte> M(string s) { var bytes = Encoding.UTF8.GetBytes(s); return [|bytes.AsMemory(0, 4)|]; }",
            "Memory<int> M(List<int> list) { var array = list.ToArray(); return [|array.AsMemory(1)|]; }",
            "void M() { var buf = new byte[64]; _slices.Add([|buf.AsMemory(1, 2)|]); }",
            "void M() { var buf = new byte[64]; _map[\"k\"] = [|buf.AsMemory(1, 2)|]; }",
            "void M() { var buf = new byte[64]; _parts[0] = [|new ArraySegment<byte>(buf, 1, 2)|]; }",
            "void M(out Memory<byte> head) { var buf = new byte[100]; head = [|buf.AsMemory(0, 10)|]; }",
            "void M() { var buf = new byte[64]; var slice = buf.AsMemory(1, 2); _callback = () => [|slice|].Length; }",
            "async Task<Memory<byte>> M(string p) { var all = await File.ReadAllBytesAsync(p); return [|all.AsMemory(0, 10)|]; }",
            "Memory<byte> M(bool flag) { var buf = new byte[64]; return [|flag ? buf.AsMemory(1, 2) : default|]; }",
            "(Memory<byte>, int) M() { var buf = new byte[64]; return ([|buf.AsMemory(1, 2)|], 5); }",
            "Line M() { var buf = new byte[64]; return new Line([|buf.AsMemory(1, 2)|]); }",
            "IEnumerable<ReadOnlyMemory<char>> M(string p) { var text = File.ReadAllText(p); yield return [|text.AsMemory(0, 5)|]; }",
            "ReadOnlyMemory<byte> M() { Memory<byte> m = new byte[10]; return [|m.Slice(2)|]; }",
            "ReadOnlyMemory<char> M(string a, string b) { var s = a + b; return [|s.AsMemory(1)|]; }",
            "ReadOnlyMemory<char> M(TextReader reader) { var all = reader.ReadToEnd(); return [|all.AsMemory(0, 80)|]; }",
            "Holder M() { var buf = new byte[64]; return new Holder { Data = [|buf.AsMemory(1, 2)|] }; }",
            "Memory<byte> M(bool flag) { var buf = new byte[64]; var m = buf.AsMemory(); if (flag) { m = m.Slice(4); } return [|m|]; }",
            "Memory<byte> M() { byte[] small = [1, 2, 3, 4]; return [|small.AsMemory(1..)|]; }",
            "Memory<byte> M(bool flag, string p) { var b = flag ? new byte[8] : File.ReadAllBytes(p); return [|b.AsMemory(1)|]; }",
            "ArraySegment<byte> M() { ArraySegment<byte> all = new byte[64]; return [|all.Slice(8, 8)|]; }",
            "ReadOnlyMemory<char> M(char[] chars) { var text = new string(chars); return [|text.AsMemory(1)|]; }",
            "void M(Stream stream) { var buffer = new byte[8192]; int read = stream.Read(buffer); _last = [|buffer.AsMemory(0, read)|]; }",
        }.Select(s => new object[] { s });

        public static IEnumerable<object[]> StaysSilent() => new[]
        {
            "Memory<byte> M() { var buf = new byte[10]; return buf.AsMemory(); }",
            "Memory<byte> M() { var buf = new byte[10]; return buf; }",
            "ArraySegment<byte> M() { var buf = new byte[10]; return new ArraySegment<byte>(buf); }",
            "Memory<byte> M(byte[] input) => input.AsMemory(1, 2);",
            "Memory<byte> M() => _buffer.AsMemory(1, 2);",
            "ReadOnlyMemory<byte> M() => s_table.AsMemory(1, 2);",
            "Memory<byte> M() { var buf = new byte[64]; return buf.AsMemory(1, 2).ToArray(); }",
            "int M() { var buf = new byte[64]; var s = buf.AsMemory(1, 2); return s.Length; }",
            "void M() { var buf = new byte[64]; Process(buf.AsMemory(1, 2)); }",
            "byte[] M() { var buf = new byte[64]; _last = buf.AsMemory(1, 2); return buf; }",
            "(byte[], Memory<byte>) M() { var buf = new byte[64]; return (buf, buf.AsMemory(1, 2)); }",
            "Memory<byte> M() { var rented = ArrayPool<byte>.Shared.Rent(10); return rented.AsMemory(0, 5); }",
            "Memory<byte> M() { var buf = new byte[64]; return buf.AsMemory(0); }",
            "Memory<byte> M() { var buf = new byte[64]; var m = buf.AsMemory(1, 2); m = m.ToArray(); return m; }",
            "Memory<byte> M(Memory<byte> m) => m.Slice(1);",
            "int M() { var buf = new byte[10]; Span<byte> s = buf.AsSpan(1, 2); return s.Length; }",
            "ReadOnlyMemory<char> M(string p) { var text = File.ReadAllText(p); return text.Substring(1, 2).AsMemory(); }",
            "Func<byte[], Memory<byte>> M() => b => b.AsMemory(1);",
            "void M() { var buf = new byte[64]; var all = buf.AsMemory(); _callback = () => all.Length; }",
            "Memory<byte> M(bool x) { var buf = new byte[64]; var m = buf.AsMemory(1, 2); if (x) { m = default; } else { m = Memory<byte>.Empty; } return m; }",
            "void M() { var buf = new byte[64]; var slice = buf.AsMemory(1, 2); Action a = () => Use(slice.Length); a(); Process(slice); }",
            "Memory<byte> M() => (_buffer ?? new byte[8]).AsMemory(1, 2);",
            "int M() { var buf = new byte[64]; var w = new Window(); w.Part = buf.AsMemory(1, 2); return w.Part.Length; }",
            "Memory<byte> M(bool flag) { var b = flag ? new byte[8] : _buffer; return b.AsMemory(1); }",
            "ReadOnlyMemory<char> M(char[] chars) { var text = new string(chars); return text.AsMemory(); }",
            "void M(Stream stream) { var buffer = new byte[8192]; int read = stream.Read(buffer); Process(buffer.AsMemory(0, read)); }",
        }.Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(Fires))]
        public Task ReportsASliceThatOutlivesTheMethod(string members) => Verify.VerifyAsync(Wrap(members));

        [Theory]
        [MemberData(nameof(StaysSilent))]
        public Task StaysSilentWhenNoSmallSliceHoldsAFreshBuffer(string members) => Verify.VerifyAsync(Wrap(members));

        [Fact]
        public Task TheMessageSaysWhatTheSliceDoesAndWhichBufferItHolds() => Verify.VerifyAsync(
            Wrap("""
                ReadOnlyMemory<char> M(string p) { var text = File.ReadAllText(p); return {|#0:text.AsMemory(5, 10)|}; }
                void N() { var buf = new byte[64]; _slices.Add({|#1:buf.AsMemory(1, 2)|}); var kept = buf.AsMemory(3, 4); _callback = () => {|#2:kept|}.Length; }
                ArraySegment<byte> O() => {|#3:new ArraySegment<byte>(new byte[64], 1, 2)|};
                """),
            Verify.Diagnostic().WithLocation(0).WithArguments("Returning", "text", "new string(slice.Span)"),
            Verify.Diagnostic().WithLocation(1).WithArguments("Adding to '_slices'", "buf", "ToArray()"),
            Verify.Diagnostic().WithLocation(2).WithArguments("Capturing in a lambda", "buf", "ToArray()"),
            Verify.Diagnostic().WithLocation(3).WithArguments("Returning", "new byte[64]", "ToArray()"));

        [Fact]
        public Task TheFixCopiesEachSliceWithTheRightCopyAndKeepsTheLayout() => Fix.VerifyAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.IO;

            public class Sample
            {
                private Memory<byte> _last;
                private readonly List<ArraySegment<byte>> _parts = new();

                public ReadOnlyMemory<char> Name(string path)
                {
                    var text = File.ReadAllText(path);
                    return [|text.AsMemory(5, 10)|]; // the name
                }

                public Memory<byte> Header(bool small)
                {
                    var buffer = new byte[4096];
                    _last = /* keep */ [|buffer.AsMemory(0, 16)|];
                    _parts.Add([|new ArraySegment<byte>(buffer, 16, 32)|]);
                    return [|small
                        ? buffer.AsMemory(0, 4)
                        : buffer.AsMemory(0, 8)|];
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.IO;

            public class Sample
            {
                private Memory<byte> _last;
                private readonly List<ArraySegment<byte>> _parts = new();

                public ReadOnlyMemory<char> Name(string path)
                {
                    var text = File.ReadAllText(path);
                    return new string(text.AsMemory(5, 10).Span).AsMemory(); // the name
                }

                public Memory<byte> Header(bool small)
                {
                    var buffer = new byte[4096];
                    _last = /* keep */ buffer.AsMemory(0, 16).ToArray();
                    _parts.Add(new ArraySegment<byte>(buffer, 16, 32).ToArray());
                    return (small
                        ? buffer.AsMemory(0, 4)
                        : buffer.AsMemory(0, 8)).ToArray();
                }
            }
            """);

        [Fact]
        public Task ACapturedSliceIsReportedButNotRewritten()
        {
            string source = """
                using System;

                public class Sample
                {
                    private Func<int>? _callback;

                    public void M()
                    {
                        var buffer = new byte[4096];
                        var slice = buffer.AsMemory(0, 16);
                        _callback = () => [|slice|].Length;
                    }
                }
                """;
            return Fix.VerifyAsync(source, source);
        }

        private const string LineDemo = """
            using System;
            using System.Runtime.CompilerServices;

            public static class Demo
            {
                private static WeakReference? s_line;
                private static ReadOnlyMemory<char> s_kept;

                private static void Watch(string line) => s_line = new WeakReference(line);

                [MethodImpl(MethodImplOptions.NoInlining)]
                private static ReadOnlyMemory<char> FirstField()
                {
                    string line = new string('x', 8 << 20);
                    Watch(line);
                    return KEPT;
                }

                public static bool LineSurvives()
                {
                    s_kept = FirstField();
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    return s_kept.Length == 10 && s_line!.IsAlive;
                }
            }
            """;

        [Fact]
        public async Task TheRuntimeKeepsTheWholeStringForACharacterSliceAndTheNewStringLetsItGo()
        {
            string flagged = LineDemo.Replace("KEPT", "[|line.AsMemory(0, 10)|]");
            string fixedCode = LineDemo.Replace("KEPT", "new string(line.AsMemory(0, 10).Span).AsMemory()");
            await Fix.VerifyAsync(flagged, fixedCode);

            // A 16 MiB string (8 Mi chars) kept for 10 characters; collected once they are a string of their own.
            Assert.True(CompiledSample.Run<bool>(flagged.Replace("[|", string.Empty).Replace("|]", string.Empty), "Demo", "LineSurvives"));
            Assert.False(CompiledSample.Run<bool>(fixedCode, "Demo", "LineSurvives"));
        }

        private const string LogDemo = """
            using System;
            using System.Runtime.CompilerServices;

            public static class Demo
            {
                private static WeakReference? s_log;
                private static ReadOnlyMemory<byte> s_kept;

                // Passing the buffer to a method is not an escape for the rule: the probe does not change what it sees.
                private static void Watch(byte[] buffer) => s_log = new WeakReference(buffer);

                [MethodImpl(MethodImplOptions.NoInlining)]
                private static ReadOnlyMemory<byte> ExtractErrorBlock()
                {
                    byte[] massiveLogFile = new byte[16 << 20];
                    Watch(massiveLogFile);
                    "FATAL"u8.CopyTo(massiveLogFile.AsSpan(9 << 20));
                    int start = massiveLogFile.AsSpan().IndexOf("FATAL"u8);
                    return RETURNED;
                }

                public static bool LogSurvives()
                {
                    s_kept = ExtractErrorBlock();
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    return s_kept.Length == 500 && s_log!.IsAlive;
                }
            }
            """;

        [Fact]
        public async Task TheRuntimeKeepsTheWholeLogAliveForTheSliceAndTheFixLetsItGo()
        {
            string flagged = LogDemo.Replace("RETURNED", "[|massiveLogFile.AsMemory(start, 500)|]");
            string fixedCode = LogDemo.Replace("RETURNED", "massiveLogFile.AsMemory(start, 500).ToArray()");
            await Fix.VerifyAsync(flagged, fixedCode);

            // 16 MiB stand in for the seed's 1 GB log: kept whole for the 500-byte slice, collected once the slice is a copy.
            Assert.True(CompiledSample.Run<bool>(flagged.Replace("[|", string.Empty).Replace("|]", string.Empty), "Demo", "LogSurvives"));
            Assert.False(CompiledSample.Run<bool>(fixedCode, "Demo", "LogSurvives"));
        }
    }
}
