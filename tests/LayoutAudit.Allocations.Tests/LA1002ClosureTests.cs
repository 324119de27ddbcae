using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Allocations.Tests.Verify<LayoutAudit.Allocations.ClosureAnalyzer>;

namespace LayoutAudit.Allocations.Tests
{
    public sealed class LA1002ClosureTests
    {
        [Fact]
        public async Task ReportsTheDisplayClassAtTheStartOfTheScopeNamingEveryCapture()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    private int _field;
                    public void M(bool rare, string name)
                    {
                        {|#0:Console.WriteLine(name);|}
                        if (rare)
                        {
                            Task.Run(() => Console.WriteLine(name + _field));
                        }
                    }
                }
                """;
            await Verify.AnalyzerAsync(
                source,
                Verify.Diagnostic(0).WithMessage("Closure allocated: 'name' (string) and 'this' are captured by the lambda at line 14, so the compiler moves them into a display class allocated here, at the start of the scope that declares 'name', each time the scope is entered (even on paths where it never runs)")
                    .WithOptions(Microsoft.CodeAnalysis.Testing.DiagnosticOptions.IgnoreAdditionalLocations));
        }

        [Fact]
        public async Task ReportsEachScopeWhereTheCompilerCreatesOne()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    static void Run(Action a) => a();
                    public void Loop(int n) { for (int i = 0; i < n; i++) { int copy = i; Run(() => Console.WriteLine(copy)); } }
                    public void ForEach(List<int> items) { foreach (var item in items) { Run(() => Console.WriteLine(item)); } }
                    public void Catch() { try { Run(static () => { }); } catch (Exception ex) { Run(() => Console.WriteLine(ex)); } }
                    public Func<int> Expression(int p) => () => p;
                    public Action LocalToDelegate(int p) { void Local() => Console.WriteLine(p); return Local; }
                    public Func<Func<int>> Nested(int p) => () => { int q = p; return () => q; };
                }
                """;
            Assert.Equal(
                new[] { "int copy = i;", "var item", "(Exception ex)", "() => p", "return Local;", "() => { int q = p; return () => q; }", "int q = p;" },
                await Findings.AtAsync<ClosureAnalyzer>(source));
        }

        [Fact]
        public async Task StaysSilentWithoutAHeapClosure()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    private int _field;
                    public int LocalFunctionCalled(int p) { return Add(1) + Add(2); int Add(int x) => x + p; }
                    public Func<int> ThisOnly() => () => _field;
                    public Func<int, int> Static() => static x => x + 1;
                    public Func<int, int> OwnLocals() => x => { int y = x * 2; return y; };
                    public IEnumerable<int> Query(int[] a) => from x in a where x > 1 select x * 2;
                }
                """;
            await Verify.AnalyzerAsync(source);
        }
    }
}
