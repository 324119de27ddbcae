using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Allocations.Tests.Verify<LayoutAudit.Allocations.AllocationInLoopAnalyzer>;

namespace LayoutAudit.Allocations.Tests
{
    public sealed class LA1010AllocationInLoopTests
    {
        [Fact]
        public async Task NamesTheLoop()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public void M(int n)
                    {
                        for (int i = 0; i < n; i++)
                        {
                            Console.WriteLine({|#0:new List<int>(i)|});
                        }
                    }
                }
                """;
            await Verify.AnalyzerAsync(source, Verify.Diagnostic(0).WithMessage("Allocation inside a loop: 'new List<int>(i)' allocates a new 'List<int>' on every iteration of the 'for' loop at line 10; hoist it out of the loop and reuse it, or pool it"));
        }

        [Fact]
        public async Task ReportsArraysAndEveryLoopKindIncludingConditions()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public void M(int n, int[] a)
                    {
                        while (n-- > 0) { Console.WriteLine(new int[4]); }
                        do { Console.WriteLine(new object()); } while (--n > 0);
                        foreach (var x in a) { Console.WriteLine(new string('x', x)); }
                        int k = 0;
                        while (new object().GetHashCode() > k++) { }
                    }
                }
                """;
            Assert.Equal(new[] { "new int[4]", "new object()", "new string('x', x)", "new object()" }, await Findings.AtAsync<AllocationInLoopAnalyzer>(source));
        }

        [Fact]
        public async Task StaysSilentOutsideLoopsForStructsThrowsAndLambdaBodies()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public struct P { public int X; }
                    static void Run(Action a) => a();
                    public int M(int n, int[] a)
                    {
                        var once = new List<int>();
                        for (var l = new List<int>(); l.Count < n; l.Add(1)) { }
                        foreach (var x in new[] { 1, 2 }) { once.Add(new P { X = x }.X); }
                        foreach (var x in a) { if (x < 0) throw new ArgumentOutOfRangeException(nameof(a)); }
                        for (int i = 0; i < n; i++) { Run(static () => Console.WriteLine(new object())); }
                        return once.Count;
                    }
                }
                """;
            await Verify.AnalyzerAsync(source);
        }
    }
}
