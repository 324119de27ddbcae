using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Allocations.Tests.Verify<LayoutAudit.Allocations.ExplicitAllocationAnalyzer>;

namespace LayoutAudit.Allocations.Tests
{
    public sealed class LA1011ExplicitAllocationTests
    {
        private const string Source = """
            [LayoutAudit.AuditAllocations]
            public class C
            {
                public List<int> M(int n)
                {
                    var list = {|#0:new List<int>()|};
                    int[] buffer = {|#1:new int[n]|};
                    for (int i = 0; i < n; i++) { list.Add(new int[1].Length); }
                    return list;
                }
            }
            """;

        [Fact]
        public async Task IsOffByDefault()
        {
            Assert.False(new ExplicitAllocationAnalyzer().SupportedDiagnostics[0].IsEnabledByDefault);
            string plain = Verify.Usings + Source.Replace("{|#0:", "").Replace("{|#1:", "").Replace(")|}", ")").Replace("]|}", "]");
            var analyzers = System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new ExplicitAllocationAnalyzer());
            Assert.Empty(await Findings.RunAsync(analyzers, plain, requireValidCode: true, enableOffByDefault: false));
            Assert.Equal(2, (await Findings.RunAsync(analyzers, plain, requireValidCode: true)).Length);
        }

        [Fact]
        public async Task WhenTurnedOnReportsEveryNewOutsideLoopsAsInfo()
        {
            await Verify.AnalyzerAsync(
                Source,
                "dotnet_diagnostic.LA1011.severity = suggestion",
                Verify.Diagnostic(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithMessage("Explicit allocation: 'new List<int>()' allocates a new 'List<int>' on the heap"),
                Verify.Diagnostic(1).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithMessage("Explicit allocation: 'new int[n]' allocates a new array 'int[]' on the heap"));
        }
    }
}
