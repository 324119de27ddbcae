using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Allocations.Tests.Verify<LayoutAudit.Allocations.LinqAnalyzer>;

namespace LayoutAudit.Allocations.Tests
{
    public sealed class LA1008LinqTests
    {
        [Fact]
        public async Task ReportsEachOperatorWithWhatItAllocates()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public List<int> M(int[] values) => values.{|#0:Where(static x => x > 0)|}.{|#1:ToList()|};
                }
                """;
            await Verify.AnalyzerAsync(
                source,
                Verify.Diagnostic(0).WithMessage("LINQ allocation: Enumerable.Where allocates an iterator object now, and a heap enumerator for its source when it is enumerated; a loop over the concrete collection does not allocate"),
                Verify.Diagnostic(1).WithMessage("LINQ allocation: Enumerable.ToList allocates the List<int> it returns, and enumerates its source through a heap enumerator unless it is an array or a list; a loop over the concrete collection does not allocate"));
        }

        [Fact]
        public async Task ReportsQuerySyntaxAggregatesAndLoops()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public IEnumerable<int> Query(int[] a) => from x in a where x > 1 select x * 2;
                    public int Sum(IEnumerable<int> e) => e.Sum();
                    public bool Any(IEnumerable<int> e) => e.Any();
                }
                """;
            Assert.Equal(new[] { "where x > 1", "select x * 2", "Sum()", "Any()" }, await Findings.AtAsync<LinqAnalyzer>(source));
        }

        [Fact]
        public async Task StaysSilentForCollectionFastPathsAndListMethods()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public int M(List<int> list, int[] array, IList<int> ilist)
                        => list.Count() + array.Count() + (list.Any() ? 1 : 0) + ilist.First() + array.Last() + list.ElementAt(0) + list.Count + list.IndexOf(3);
                }
                """;
            await Verify.AnalyzerAsync(source);
        }
    }
}
