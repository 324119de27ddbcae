using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Allocations.Tests.Verify<LayoutAudit.Allocations.EnumeratorAllocationAnalyzer>;

namespace LayoutAudit.Allocations.Tests
{
    public sealed class LA1005EnumeratorAllocationTests
    {
        [Fact]
        public async Task ReportsForEachOverAnInterface()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public int M(IList<int> items) { int s = 0; {|#0:foreach (var x in items|}) { s += x; } return s; }
                }
                """;
            await Verify.AnalyzerAsync(source, Verify.Diagnostic(0).WithMessage("Enumerator allocated: 'foreach' over 'items' (IList<int>) calls IEnumerable<int>.GetEnumerator(), which returns the interface 'IEnumerator<int>': the enumerator is a heap object (a struct enumerator is boxed); enumerate the concrete type (array, List<T>, span) to get a struct enumerator"));
        }

        [Fact]
        public async Task ReportsNonGenericAndExplicitCalls()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public int NonGeneric(System.Collections.IEnumerable items) { int s = 0; foreach (var x in items) { s++; } return s; }
                    public IEnumerator<int> Explicit(IEnumerable<int> items) => items.GetEnumerator();
                }
                """;
            Assert.Equal(new[] { "foreach (var x in items", "items.GetEnumerator()" }, await Findings.AtAsync<EnumeratorAllocationAnalyzer>(source));
        }

        [Fact]
        public async Task StaysSilentForStructEnumeratorsArraysStringsAndSpans()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public int M(List<int> list, int[] array, string text, ReadOnlySpan<int> span, Dictionary<int, int> map, HashSet<int> set)
                    {
                        int s = 0;
                        foreach (var x in list) { s += x; }
                        foreach (var x in array) { s += x; }
                        foreach (var c in text) { s += c; }
                        foreach (var x in span) { s += x; }
                        foreach (var pair in map) { s += pair.Key; }
                        foreach (var x in set) { s += x; }
                        return s;
                    }
                }
                """;
            await Verify.AnalyzerAsync(source);
        }
    }
}
