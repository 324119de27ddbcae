using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Fix = LayoutAudit.Retention.Tests.CodeFixVerifier<LayoutAudit.Retention.MissingCapacityAnalyzer, LayoutAudit.Retention.CodeFixes.PassCapacityCodeFixProvider>;
using Verify = LayoutAudit.Retention.Tests.AnalyzerVerifier<LayoutAudit.Retention.MissingCapacityAnalyzer>;

namespace LayoutAudit.Retention.Tests
{
    public sealed class LA2006MissingCapacityTests
    {
        private static string Wrap(string members) => $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Text;

            public class Sample
            {
                private readonly string[] _names = Array.Empty<string>();
                private readonly List<int> _list = new();
                private IReadOnlyList<string> Items { get; } = Array.Empty<string>();
                private static IEnumerable<int> GetItems() => Array.Empty<int>();

            {{members}}
            }
            """;

        public static IEnumerable<object[]> Fires() => new[]
        {
            "List<int> M(int[] items) { var list = [|new List<int>()|]; foreach (var x in items) list.Add(x); return list; }",
            "List<int> M(int n) { var list = [|new List<int>()|]; for (int i = 0; i < n; i++) list.Add(i); return list; }",
            "Dictionary<string, int> M(List<string> names) { var map = [|new Dictionary<string, int>()|]; foreach (var name in names) map[name] = name.Length; return map; }",
            "HashSet<string> M(string[] names) { var set = [|new HashSet<string>()|]; foreach (var n in names) set.Add(n); return set; }",
            "string M(char[] chars) { var sb = [|new StringBuilder()|]; foreach (var c in chars) sb.Append(c); return sb.ToString(); }",
            "object M(string[] names) { var map = [|new Dictionary<string, int>(StringComparer.Ordinal)|]; foreach (var n in names) map.Add(n, 1); return map; }",
            "object M(string[] names) { List<string> list = [|new()|]; foreach (var n in names) list.Add(n); return list; }",
            "object M(int n) { var list = [|new List<int>()|]; for (int i = 0; i <= n; i++) list.Add(i); return list; }",
            "object M(int[] items) { var list = [|new List<int>()|]; for (int i = 0; i < items.Length; i++) list.Add(items[i] * 2); return list; }",
            "object M() { var list = [|new List<string>()|]; foreach (var n in _names) list.Add(n.Trim()); return list; }",
            "object M() { var set = [|new HashSet<string>()|]; foreach (var n in Items) set.Add(n); return set; }",
            "object M(int[] items) { var list = [|new List<int>()|]; foreach (var x in items) { list.Add(x); list.Add(-x); } return list; }",
            "string M(char[] chars) { var sb = [|new StringBuilder()|]; foreach (var c in chars) { sb.Append(c); sb.Append(\", \"); } return sb.ToString(); }",
            "object M(ICollection<int> values) { var list = [|new List<int>()|]; foreach (var v in values) list.Add(v); return list; }",
            "object M(string[] names) { var set = [|new HashSet<string>(StringComparer.OrdinalIgnoreCase)|]; foreach (var n in names) set.Add(n); return set; }",
            "object M(string[] names) { var map = [|new Dictionary<string, int>()|]; foreach (var n in names) map.TryAdd(n, n.Length); return map; }",
            "object M(int n) { var list = [|new List<int>()|]; for (int i = 0; i < n; ++i) list.Add(i); return list; }",
            "object M(int n) { var list = [|new List<int>()|]; for (int i = 0; i < n; i += 1) { var square = i * i; list.Add(square); } return list; }",
            "int M(ReadOnlySpan<int> values) { var list = [|new List<int>()|]; foreach (var v in values) list.Add(v); return list.Count; }",
            "object M(Dictionary<string, int> source) { var keys = [|new List<string>()|]; foreach (var key in source.Keys) keys.Add(key); return keys; }",
            "string M(int n) { var sb = [|new StringBuilder()|]; for (int i = 0; i < n; i++) sb.Append('-', 3); return sb.ToString(); }",
            "string M(string text) { var escaped = [|new StringBuilder()|]; foreach (var c in text) { escaped.Append('\\\\'); escaped.Append(c); } return escaped.ToString(); }",
            "object M(int[] items) { var list = [|new List<int>()|]; foreach (var x in items) { list.Add(x); Console.WriteLine(list.Count); } return list; }",
        }.Select(s => new object[] { s });

        public static IEnumerable<object[]> StaysSilent() => new[]
        {
            "object M(int[] items) { var list = new List<int>(items.Length); foreach (var x in items) list.Add(x); return list; }",
            "object M(int[] items) { var list = new List<int>(); foreach (var x in items) { if (x > 0) list.Add(x); } return list; }",
            "object M(int[] items) { var list = new List<int>(); foreach (var x in items) { if (x < 0) continue; list.Add(x); } return list; }",
            "object M(int[] items) { var list = new List<int>(); foreach (var x in items) { if (x < 0) break; list.Add(x); } return list; }",
            "object M(IEnumerable<int> items) { var list = new List<int>(); foreach (var x in items) list.Add(x); return list; }",
            "object M(int n) { var list = new List<int>(); int i = 0; while (i < n) { list.Add(i); i++; } return list; }",
            "object M(int n) { var list = new List<int>(); for (int i = 1; i < n; i++) list.Add(i); return list; }",
            "object M(int n) { var list = new List<int>(); for (int i = 0; i < n; i++) { list.Add(i); n--; } return list; }",
            "object M(int[][] rows) { var list = new List<int>(); foreach (var row in rows) foreach (var x in row) list.Add(x); return list; }",
            "object M(int[] items) { var list = new List<int>(); list.Add(0); foreach (var x in items) list.Add(x); return list; }",
            "object M(int[][] rows) { var list = new List<int>(); foreach (var row in rows) list.AddRange(row); return list; }",
            "object M(int[] items) { var list = new List<int> { 1 }; foreach (var x in items) list.Add(x); return list; }",
            "object M(int[] items) { var list = new List<int>(items); foreach (var x in items) list.Add(x); return list; }",
            "string M(string[] names) { var sb = new StringBuilder(); foreach (var n in names) sb.Append(n); return sb.ToString(); }",
            "object M(int[] items) { var list = new List<int>(); foreach (var x in items) list.Add(x); list = new List<int>(); return list; }",
            "void M(int[] items) { foreach (var x in items) { var list = new List<int>(); list.Add(x); } }",
            "object M(int[] items) { var list = new List<int>(); foreach (var x in items) { list.Add(x); if (list.Count > 10) return list; } return list; }",
            "object M() { var list = new List<int>(); foreach (var x in GetItems()) list.Add(x); return list; }",
            "void M(int[] items) { foreach (var x in items) _list.Add(x); }",
            "object M(int[] items, bool twice) { var list = new List<int>(); Action fill = () => { foreach (var x in items) list.Add(x); }; fill(); return list; }",
        }.Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(Fires))]
        public Task ReportsACollectionFilledInACountedLoop(string members) => Verify.VerifyAsync(Wrap(members));

        [Theory]
        [MemberData(nameof(StaysSilent))]
        public Task StaysSilentWhenTheCountIsNotKnownOrAlreadyGiven(string members) => Verify.VerifyAsync(Wrap(members));

        [Fact]
        public Task TheMessageNamesTheCollectionAndTheCount() => Verify.VerifyAsync(
            Wrap("""
                object M(int[] items) { var squares = {|#0:new List<int>()|}; foreach (var x in {|#1:items|}) squares.Add(x * x); return squares; }
                string N(int n) { var line = {|#2:new StringBuilder()|}; for (int i = 0; i <= {|#3:n|}; i++) { line.Append('-'); line.Append('+'); } return line.ToString(); }
                """),
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("squares", "items.Length"),
            Verify.Diagnostic().WithLocation(2).WithLocation(3).WithArguments("line", "(n + 1) * 2"));

        [Fact]
        public Task TheFixPassesTheCountInEachForm() => Fix.VerifyAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Text;

            public class Sample
            {
                public object Build(int[] items, List<string> names, int n)
                {
                    var squares = [|new List<int>()|];
                    foreach (var x in items) squares.Add(x * x);

                    var lengths = [|new Dictionary<string, int>(StringComparer.Ordinal)|]; // by name
                    foreach (var name in names) lengths[name] = name.Length;

                    HashSet<int> seen = [|new()|];
                    for (int i = 0; i <= n; i++) seen.Add(i);

                    var line = [|new StringBuilder()|];
                    for (int i = 0; i < n - 1; i++) { line.Append('-'); line.Append('+'); }

                    var empty = [|new List<int> { }|];
                    foreach (var x in items) empty.Add(x);

                    return (squares, lengths, seen, line, empty);
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Text;

            public class Sample
            {
                public object Build(int[] items, List<string> names, int n)
                {
                    var squares = new List<int>(items.Length);
                    foreach (var x in items) squares.Add(x * x);

                    var lengths = new Dictionary<string, int>(names.Count, StringComparer.Ordinal); // by name
                    foreach (var name in names) lengths[name] = name.Length;

                    HashSet<int> seen = new(n + 1);
                    for (int i = 0; i <= n; i++) seen.Add(i);

                    var line = new StringBuilder((n - 1) * 2);
                    for (int i = 0; i < n - 1; i++) { line.Append('-'); line.Append('+'); }

                    var empty = new List<int>(items.Length) { };
                    foreach (var x in items) empty.Add(x);

                    return (squares, lengths, seen, line, empty);
                }
            }
            """);

        [Fact]
        public Task ACountDeclaredAfterTheCollectionIsReportedButNotWritten()
        {
            string source = """
                using System.Collections.Generic;

                public class Sample
                {
                    public List<int> Build(string text)
                    {
                        var list = [|new List<int>()|];
                        int n = text.Length;
                        for (int i = 0; i < n; i++) list.Add(text[i]);
                        return list;
                    }
                }
                """;
            return Fix.VerifyAsync(source, source);
        }

        private const string FillDemo = """
            using System;
            using System.Collections.Generic;
            using System.Runtime.CompilerServices;

            public static class Demo
            {
                [MethodImpl(MethodImplOptions.NoInlining)]
                private static int Fill(object[] items)
                {
                    var list = CREATE;
                    foreach (var item in items) list.Add(item);
                    return list.Count;
                }

                /// <summary>Bytes allocated by one fill of 10,000 items (after a warm-up call).</summary>
                public static long AllocatedBytes()
                {
                    var items = new object[10_000];
                    Fill(items);
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    Fill(items);
                    return GC.GetAllocatedBytesForCurrentThread() - before;
                }
            }
            """;

        [Fact]
        public async Task TheRuntimeAllocatesLessWithTheCapacity()
        {
            string flagged = FillDemo.Replace("CREATE", "[|new List<object>()|]");
            string fixedCode = FillDemo.Replace("CREATE", "new List<object>(items.Length)");
            await Fix.VerifyAsync(flagged, fixedCode);

            long growing = CompiledSample.Run<long>(flagged.Replace("[|", string.Empty).Replace("|]", string.Empty), "Demo", "AllocatedBytes");
            long sized = CompiledSample.Run<long>(fixedCode, "Demo", "AllocatedBytes");

            // Sized: one array of 10,000 references. Growing: the doublings 4, 8, ..., 16,384 on top, about twice as much.
            Assert.InRange(sized, 10_000 * 8, 10_000 * 8 + 1_024);
            Assert.True(growing > sized * 3 / 2, $"growing {growing} bytes, sized {sized} bytes");
        }
    }
}
