using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Allocations.Tests.Verify<LayoutAudit.Allocations.StateMachineAnalyzer>;

namespace LayoutAudit.Allocations.Tests
{
    public sealed class LA1007StateMachineTests
    {
        [Fact]
        public async Task ReportsIteratorsAndAsyncMethods()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public IEnumerable<int> {|#0:Numbers|}(int n) { for (int i = 0; i < n; i++) { yield return i; } }
                    public async Task<int> {|#1:LoadAsync|}(Task<int> pending) => await pending;
                }
                """;
            await Verify.AnalyzerAsync(
                source,
                Verify.Diagnostic(0).WithMessage("State machine allocated: 'Numbers' is an iterator, so every call allocates its compiler-generated enumerator object (holding its parameters and locals) before the first element; return a struct enumerator or fill a caller's span in hot paths"),
                Verify.Diagnostic(1).WithMessage("State machine may move to the heap: 'LoadAsync' is async, and the first await that suspends (its operation not yet complete) boxes the state machine with its locals into a heap object, and the Task<int> it returns is allocated unless it completes synchronously with a cached result; nothing is allocated while every await completes synchronously"));
        }

        [Fact]
        public async Task ReportsLocalFunctionsLambdasPropertiesAndAwaitForEach()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public IEnumerable<int> Items { get { yield return 1; } }
                    public Task Local() { return Run(); async Task Run() { await Task.Yield(); } }
                    public Func<Task> Lambda() => async () => await Task.Yield();
                    public async Task<int> Stream(IAsyncEnumerable<int> items) { int s = 0; await foreach (var x in items) { s += x; } return s; }
                }
                """;
            Assert.Equal(new[] { "get", "Run", "async", "Stream" }, await Findings.AtAsync<StateMachineAnalyzer>(source));
        }

        [Fact]
        public async Task StaysSilentWithoutAStateMachineThatAllocates()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                #pragma warning disable CS1998
                    public async Task NeverAwaits() { }
                #pragma warning restore CS1998
                    public Task Completed() => Task.CompletedTask;
                    public IEnumerable<int> Passthrough(List<int> items) => items;
                    public async Task Outer() { Func<Task> inner = async () => await Task.Yield(); await inner(); }
                }
                """;
            Assert.Equal(new[] { "Outer", "async" }, await Findings.AtAsync<StateMachineAnalyzer>(source));
        }
    }
}
