using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Allocations.Tests.Verify<LayoutAudit.Allocations.HiddenObjectAnalyzer>;

namespace LayoutAudit.Allocations.Tests
{
    public sealed class LA1009HiddenObjectTests
    {
        [Fact]
        public async Task ReportsAnonymousTypesAndCollectionExpressions()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public object Anonymous(int i) => {|#0:new { Id = i }|};
                    public IEnumerable<int> Wrapped(int a) => {|#1:[a, 2]|};
                }
                """;
            await Verify.AnalyzerAsync(
                source,
                Verify.Diagnostic(0).WithMessage("Anonymous object allocated: an anonymous type is a class, so 'new { Id = i }' allocates a heap object; a tuple or a record struct would not"),
                Verify.Diagnostic(1).WithMessage("Collection allocated: this collection expression becomes 'IEnumerable<int>', so it allocates an array of 2 and a compiler-generated read-only wrapper around it"));
        }

        [Fact]
        public async Task ReportsEveryHeapTarget()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public int[] Array(int a) => [a];
                    public List<int> List(int a) => [a];
                    public HashSet<int> Set(int a) => [a];
                    public IReadOnlyList<int> One(int a) => [a];
                    public ICollection<int> Mutable() => [];
                    public List<int> Empty() => [];
                }
                """;
            Assert.Equal(new[] { "[a]", "[a]", "[a]", "[a]", "[]", "[]" }, await Findings.AtAsync<HiddenObjectAnalyzer>(source));
        }

        [Fact]
        public async Task StaysSilentForEmptyArraysSpansAndTuples()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public int[] EmptyArray() => [];
                    public IEnumerable<int> EmptyEnumerable() => [];
                    public int Span(int a) { ReadOnlySpan<int> s = [a, 2, 3]; return s[0]; }
                    public (int A, int B) Tuple(int i) => (A: i, B: i);
                }
                """;
            await Verify.AnalyzerAsync(source);
        }
    }
}
