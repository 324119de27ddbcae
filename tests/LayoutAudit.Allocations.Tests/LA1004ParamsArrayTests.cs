using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Allocations.Tests.Verify<LayoutAudit.Allocations.ParamsArrayAnalyzer>;

namespace LayoutAudit.Allocations.Tests
{
    public sealed class LA1004ParamsArrayTests
    {
        [Fact]
        public async Task ReportsTheArrayWithItsLength()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    static void Ints(params int[] values) { }
                    public void M(int a) => {|#0:Ints(a, 2, 3)|};
                }
                """;
            await Verify.AnalyzerAsync(source, Verify.Diagnostic(0).WithMessage("params array allocated: a new int[3] holds the 3 arguments of the params parameter 'values' of C.Ints(params int[])"));
        }

        [Fact]
        public async Task NamesASpanOverloadAndTheLoop()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    static void Log(params object[] values) { }
                    static void Log(params ReadOnlySpan<object> values) { }
                    static void Ints(params int[] values) { }
                    public void M(int n, object o) { Log(new object[] { o }); for (int i = 0; i < n; i++) { Ints(i); } }
                }
                """;
            Assert.Equal(new[] { "Ints(i)" }, await Findings.AtAsync<ParamsArrayAnalyzer>(source));
            var diagnostics = await Findings.RunAsync(System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new ParamsArrayAnalyzer()), Verify.Usings + source, requireValidCode: true);
            Assert.Contains("inside the 'for' loop at line 11", Assert.Single(diagnostics).GetMessage());
        }

        [Fact]
        public async Task StaysSilentForEmptyArgumentsArraysAndSpans()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    static void Ints(params int[] values) { }
                    static void Span(params ReadOnlySpan<int> values) { }
                    public void M(int[] existing, int a)
                    {
                        Ints();
                        Ints(existing);
                        Span(a, a);
                        Span();
                        Console.WriteLine("{0}{1}{2}{3}", "a", "b", "c", "d");
                    }
                }
                """;
            await Verify.AnalyzerAsync(source);
        }
    }
}
