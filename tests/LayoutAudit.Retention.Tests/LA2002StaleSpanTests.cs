using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Retention.Tests.AnalyzerVerifier<LayoutAudit.Retention.StaleSpanAnalyzer>;

namespace LayoutAudit.Retention.Tests
{
    public sealed class LA2002StaleSpanTests
    {
        private static string Wrap(string members) => $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Runtime.InteropServices;

            public class Sample
            {
                private readonly List<int> _items = new();
                private static void Grow(List<int> list) => list.Add(0);
                private static void Fill(Dictionary<string, int> map) => map["z"] = 0;
                private static int Sum(IEnumerable<int> values) => values.Sum();
                private static int Peek(IReadOnlyList<int> values) => values[0];

            {{members}}
            }
            """;

        public static IEnumerable<object[]> Fires() => new[]
        {
            "void M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); list.Add(4); [|span|][0] = 1; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); list.Insert(0, 1); return [|span|][0]; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); list.RemoveAt(0); return [|span|][0]; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); list.Clear(); return [|span|][0]; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); list.Capacity = 100; return [|span|][0]; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); list.EnsureCapacity(100); return [|span|][0]; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); list.TrimExcess(); return [|span|][0]; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); Grow(list); return [|span|][0]; }",
            "int M(List<int> list, int[] more) { var span = CollectionsMarshal.AsSpan(list); list.AddRange(more); return [|span|][0]; }",
            "void M() { var span = CollectionsMarshal.AsSpan(_items); _items.Add(1); [|span|][0]++; }",
            "void M(Dictionary<string, int> counts) { ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, \"a\", out _); counts.Add(\"b\", 2); [|slot|]++; }",
            "int M(Dictionary<string, int> counts) { ref int slot = ref CollectionsMarshal.GetValueRefOrNullRef(counts, \"a\"); counts.Remove(\"b\"); return [|slot|]; }",
            "void M(Dictionary<string, int> d) { ref int a = ref CollectionsMarshal.GetValueRefOrAddDefault(d, \"a\", out _); ref int b = ref CollectionsMarshal.GetValueRefOrAddDefault(d, \"b\", out _); [|a|] = 1; b = 2; }",
            "void M(Dictionary<string, int> d) { ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(d, \"a\", out _); d[\"x\"] = 1; [|slot|]++; }",
            "void M(List<int> list, int n) { var span = CollectionsMarshal.AsSpan(list); for (int i = 0; i < n; i++) { [|span|][0] += i; list.Add(i); } }",
            "int M(List<int> list, bool grow) { var span = CollectionsMarshal.AsSpan(list); if (grow) { list.Add(1); } return [|span|][0]; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); var head = span.Slice(0, 2); list.Add(1); return [|head|][0]; }",
            "void M(List<int> list) { ref int first = ref CollectionsMarshal.AsSpan(list)[0]; list.Add(1); [|first|] = 5; }",
            "int M(List<int> list) { ReadOnlySpan<int> view = CollectionsMarshal.AsSpan(list); list.Add(1); return [|view|][0]; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); CollectionsMarshal.SetCount(list, 10); return [|span|][0]; }",
            "void M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); try { list.Add(1); } finally { [|span|][0] = 0; } }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); list.RemoveAll(x => x > 2); return [|span|].IndexOf(3); }",
            "void M(List<int> list) { foreach (var x in [|CollectionsMarshal.AsSpan(list)|]) { list.Add(x); } }",
            "void M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); foreach (ref var x in [|span|]) { x++; list.Add(1); } }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); list.Remove(3); return [|span|][0]; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); list.RemoveRange(0, 2); return [|span|][0]; }",
            "int M(List<int> list, int[] more) { var span = CollectionsMarshal.AsSpan(list); list.InsertRange(0, more); return [|span|][0]; }",
            "int M(Dictionary<string, int> d) { ref int slot = ref CollectionsMarshal.GetValueRefOrNullRef(d, \"a\"); d.Clear(); return [|slot|]; }",
            "void M(Dictionary<string, int> d) { ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(d, \"a\", out _); d.EnsureCapacity(1000); [|slot|] = 1; }",
            "void M(Dictionary<string, int> d) { ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(d, \"a\", out _); d.TrimExcess(); [|slot|] = 1; }",
            "int M(Dictionary<string, int> d) { ref int slot = ref CollectionsMarshal.GetValueRefOrNullRef(d, \"a\"); d.Add(\"b\", 1); return [|slot|]; }",
            "void M(Dictionary<string, int> d) { ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(d, \"a\", out _); Fill(d); [|slot|]++; }",
            "int M() { var span = CollectionsMarshal.AsSpan(_items); Grow(_items); return [|span|][0]; }",
        }.Select(s => new object[] { s });

        public static IEnumerable<object[]> StaysSilent() => new[]
        {
            "void M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); span[0] = 1; list.Add(4); }",
            "void M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); list.Add(4); span = CollectionsMarshal.AsSpan(list); span[0] = 1; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); list.Add(1); return span.Length; }",
            "void M(List<int> list, List<int> other) { var span = CollectionsMarshal.AsSpan(list); other.Add(1); span[0] = 1; }",
            "void M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); Sum(list); span[0] = 1; }",
            "void M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); Peek(list); span[0] = 1; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); int n = list.Count() + list.IndexOf(3); return span[0] + n; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); list.Sort(); list.Reverse(); return span[0]; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); list[0] = 5; return span[0]; }",
            "void M(Dictionary<string, int> d) { ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(d, \"a\", out _); d.TryGetValue(\"x\", out _); d.ContainsKey(\"y\"); slot++; }",
            "void M(List<int> list, int n) { for (int i = 0; i < n; i++) { var span = CollectionsMarshal.AsSpan(list); span[0]++; list.Add(i); } }",
            "int M(List<int> list, bool grow) { var span = CollectionsMarshal.AsSpan(list); if (grow) { list.Add(1); return 0; } return span[0]; }",
            "void M(List<int> list, int[] array) { var span = array.AsSpan(); list.Add(1); span[0] = 1; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); int n = list.Count + list.Capacity; return span[0] + n; }",
            "void M(Dictionary<string, int> d) { ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(d, \"a\", out _); d.Add(\"b\", 1); slot = ref CollectionsMarshal.GetValueRefOrAddDefault(d, \"a\", out _); slot++; }",
            "string M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); var text = string.Join(\",\", list); span[0] = 1; return text; }",
            "List<int> M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); var copy = new List<int>(list); span[0] = 1; return copy; }",
            "int M(List<int> list) { var copy = CollectionsMarshal.AsSpan(list).ToArray(); list.Add(1); return copy[0]; }",
            "int M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); int first = span[0]; list.Add(1); return first; }",
            "int M(List<int> list) { list.Add(1); var span = CollectionsMarshal.AsSpan(list); return span[0]; }",
            "void M(Dictionary<string, int> d, Dictionary<string, int> other) { ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(d, \"a\", out _); other.Clear(); slot++; }",
            "int M(Dictionary<string, int> d) { ref int slot = ref CollectionsMarshal.GetValueRefOrNullRef(d, \"a\"); int n = d.Count + d.Keys.Count; return slot + n; }",
            "void M(List<int> list) { var span = CollectionsMarshal.AsSpan(list); span.Sort(); list.Add(span[0]); }",
        }.Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(Fires))]
        public Task ReportsAUseAfterTheCollectionMayHaveGrown(string members) => Verify.VerifyAsync(Wrap(members));

        [Theory]
        [MemberData(nameof(StaysSilent))]
        public Task StaysSilentWhenTheSpanIsStillGood(string members) => Verify.VerifyAsync(Wrap(members));

        [Fact]
        public Task TheMessageNamesTheSpanTheCollectionAndTheChangeOnceAtTheFirstUse() => Verify.VerifyAsync(
            Wrap("""
                int M(List<int> prices) { var span = CollectionsMarshal.AsSpan(prices); prices.Add(4); {|#0:span|}[1] = 2; return span[0]; }
                void N(Dictionary<string, int> counts) { ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, "a", out _); counts.TryAdd("b", 2); {|#1:slot|}++; }
                """),
            Verify.Diagnostic().WithLocation(0).WithArguments("span", "prices", "prices.Add(4)"),
            Verify.Diagnostic().WithLocation(1).WithArguments("slot", "counts", "counts.TryAdd(\"b\", 2)"));

        private const string GrowDemo = """
            using System.Collections.Generic;
            using System.Runtime.InteropServices;

            public static class Demo
            {
                /// <summary>Writes 42 through a span of the list after adding a fifth item to a list of capacity 4.</summary>
                public static int FirstItemAfterWrite()
                {
                    var prices = new List<int>(4) { 1, 2, 3, 4 };
                    var span = CollectionsMarshal.AsSpan(prices);
                    prices.Add(5);
                    RETAKE
                    SPAN[0] = 42;
                    return prices[0];
                }
            }
            """;

        [Fact]
        public async Task TheRuntimeLosesAWriteThroughTheStaleSpanAndNotThroughARetakenOne()
        {
            string flagged = GrowDemo.Replace("RETAKE", string.Empty).Replace("SPAN", "[|span|]");
            string retaken = GrowDemo.Replace("RETAKE", "span = CollectionsMarshal.AsSpan(prices);").Replace("SPAN", "span");
            await Verify.VerifyAsync(flagged);
            await Verify.VerifyAsync(retaken);

            // The list moved to a new array when it grew; the span still points at the old one.
            Assert.Equal(1, CompiledSample.Run<int>(flagged.Replace("[|", string.Empty).Replace("|]", string.Empty), "Demo", "FirstItemAfterWrite"));
            Assert.Equal(42, CompiledSample.Run<int>(retaken, "Demo", "FirstItemAfterWrite"));
        }
    }
}
