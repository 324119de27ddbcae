using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Allocations.Tests.Verify<LayoutAudit.Allocations.StringBuildingAnalyzer>;

namespace LayoutAudit.Allocations.Tests
{
    public sealed class LA1006StringBuildingTests
    {
        [Fact]
        public async Task CountsTheStringsAConcatenationMakes()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public string M(string name, int id) => {|#0:"user " + name + "#" + id|};
                }
                """;
            await Verify.AnalyzerAsync(source, Verify.Diagnostic(0).WithMessage("String built: concatenation allocates a new string plus one for ToString() of 'id'; use a StringBuilder, a span, or string.Create for hot paths"));
        }

        [Fact]
        public async Task ReportsInterpolationFormatJoinCompoundAndToStringInLoops()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public string Interpolated(int i) => $"x{i}";
                    public string Format(string a) => string.Format("{0}!", a);
                    public string Join(string[] parts) => string.Join(",", parts);
                    public string Compound(string a, string b) { a += b; return a; }
                    public void Loop(int n) { for (int i = 0; i < n; i++) { Console.WriteLine(i.ToString()); } }
                    public FormattableString Formattable(int i) => $"{i}";
                }
                """;
            Assert.Equal(
                new[] { "$\"x{i}\"", "string.Format(\"{0}!\", a)", "string.Join(\",\", parts)", "a += b", "i.ToString()", "$\"{i}\"" },
                await Findings.AtAsync<StringBuildingAnalyzer>(source));
        }

        [Fact]
        public async Task StaysSilentForConstantsSpansBuildersAndToStringOutsideLoops()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    const string Prefix = "p";
                    public string Constant() => "a" + "b" + Prefix;
                    public string ConstInterpolation() => $"{Prefix}x";
                    public string Once(int i) => i.ToString();
                    public bool Span(Span<char> buffer, int i) => buffer.TryWrite($"{i}", out _);
                    public void Builder(System.Text.StringBuilder sb, int i) => sb.Append($"x{i}");
                    public bool Equal(string a, string b) => a == b;
                }
                """;
            await Verify.AnalyzerAsync(source);
        }
    }
}
