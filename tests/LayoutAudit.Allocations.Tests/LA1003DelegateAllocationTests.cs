using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Allocations.Tests.Verify<LayoutAudit.Allocations.DelegateAllocationAnalyzer>;

namespace LayoutAudit.Allocations.Tests
{
    public sealed class LA1003DelegateAllocationTests
    {
        [Fact]
        public async Task SaysWhyTheConversionIsNotCached()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    int Twice(int x) => x * 2;
                    static int Half(int x) => x / 2;
                    public Func<int, int> Capture(int p) => {|#0:x => x + p|};
                    public Func<int, int> Instance() => {|#1:Twice|};
                    public Func<int, int> ExplicitNew() => {|#2:new Func<int, int>(Half)|};
                }
                """;
            await Verify.AnalyzerAsync(
                source,
                Verify.Diagnostic(0).WithMessage("Delegate allocated: a new 'Func<int, int>' each time this runs, because the lambda captures 'p' (only lambdas that capture nothing are cached)"),
                Verify.Diagnostic(1).WithMessage("Delegate allocated: a new 'Func<int, int>' each time this runs, because the instance method C.Twice(int) is bound to its receiver 'this'"),
                Verify.Diagnostic(2).WithMessage("Delegate allocated: a new 'Func<int, int>' each time this runs, because 'new' always allocates: only implicit conversions of static method groups are cached (write the method group without 'new')"));
        }

        [Fact]
        public async Task ReportsLocalFunctionsExtensionGroupsAndLoops()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    private int _field;
                    static void Run(Action a) => a();
                    public Action Local() { void L() { } return L; }
                    public Func<int> Extension(IEnumerable<int> items) => items.Count;
                    public void Loop(int n) { for (int i = 0; i < n; i++) { Run(() => _field++); } }
                    public Action Wrap(Action a) => new Action(a);
                }
                """;
            Assert.Equal(new[] { "L", "items.Count", "() => _field++", "new Action(a)" }, await Findings.AtAsync<DelegateAllocationAnalyzer>(source));
        }

        [Fact]
        public async Task StaysSilentForCachedConversions()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    static int Half(int x) => x / 2;
                    static T Make<T>() => default!;
                    public Func<int> StaticLambda() => static () => 1;
                    public Func<int, int> NonCapturing() => x => x + 1;
                    public Func<int, int> StaticGroup() => Half;
                    public Func<int> GenericStaticGroup() => Make<int>;
                    public Action StaticLocal() { static void L() { } return L; }
                    public Func<T, T> InGeneric<T>() => x => x;
                }
                """;
            await Verify.AnalyzerAsync(source);
        }
    }
}
