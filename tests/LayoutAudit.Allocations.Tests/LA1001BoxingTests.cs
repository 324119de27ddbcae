using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Allocations.Tests.Verify<LayoutAudit.Allocations.BoxingAnalyzer>;

namespace LayoutAudit.Allocations.Tests
{
    public sealed class LA1001BoxingTests
    {
        [Fact]
        public async Task ReportsEachBoxWithItsReason()
        {
            const string source = """
                public struct Point { public int X; }
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public void M(int i, Point p)
                    {
                        Console.WriteLine("{0}", {|#0:i|});
                        object o = {|#1:p|};
                        Console.WriteLine({|#2:p|}.GetHashCode() + o.GetHashCode());
                    }
                }
                """;
            await Verify.AnalyzerAsync(
                source,
                Verify.Diagnostic(0).WithMessage("'i' (int) is boxed: argument to parameter 'arg0' (object?) of Console.WriteLine(string, object?)"),
                Verify.Diagnostic(1).WithMessage("'p' (Point) is boxed: stored in 'o' (object); the box does not leave the method, so the .NET 10 JIT may remove it"),
                Verify.Diagnostic(2).WithMessage("'p' (Point) is boxed: 'Point' does not override GetHashCode(), so the call reaches ValueType.GetHashCode() through a boxed copy of the receiver"));
        }

        [Fact]
        public async Task SaysWhenTheBoxNeverLeavesTheMethodAndNamesTheLoop()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public int Local(int x) { object o = {|#0:x|}; return o.GetHashCode(); }
                    public void Loop(int n) { for (int i = 0; i < n; i++) { Take({|#1:i|}); } }
                    static void Take(object value) { }
                }
                """;
            await Verify.AnalyzerAsync(
                source,
                Verify.Diagnostic(0).WithMessage("'x' (int) is boxed: stored in 'o' (object); the box does not leave the method, so the .NET 10 JIT may remove it"),
                Verify.Diagnostic(1).WithMessage("'i' (int) is boxed: argument to parameter 'value' (object) of C.Take(object), inside the 'for' loop at line 9 (once per iteration)"));
        }

        [Fact]
        public async Task ReportsInterfacesEnumValueTypeGenericsAndStructMethodGroups()
        {
            const string source = """
                public struct S : IComparable { public int CompareTo(object? o) => 0; public int Get() => 1; }
                public enum E { A }
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public IComparable ToInterface(S toInterface) => toInterface;
                    public Enum ToEnum(E toEnum) => toEnum;
                    public ValueType ToValueType(S toValueType) => toValueType;
                    public object? Generic<T>(T generic) => generic;
                    public Func<int> Group(S group) => group.Get;
                    public Type GetTypeOf(S getType) => getType.GetType();
                    public string Concat(S concat) => "s" + concat;
                }
                """;
            Assert.Equal(new[] { "toInterface", "toEnum", "toValueType", "generic", "group", "getType", "concat" }, await Findings.AtAsync<BoxingAnalyzer>(source));
        }

        [Fact]
        public async Task StaysSilentWhereNothingIsBoxed()
        {
            const string source = """
                public struct Named { public override string ToString() => "n"; public override int GetHashCode() => 1; public override bool Equals(object? o) => false; }
                public enum E { A = 1 }
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public int Constrained<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b);
                    public bool NullTest<T>(T t) => t == null;
                    public bool TypeTest<T>(T t) => t is IDisposable;
                    public bool Flag(E e) => e.HasFlag(E.A);
                    public string Overridden(Named n) => n.ToString() + n.GetHashCode();
                    public string Interpolated(int i) => $"{i}";
                    public string IntConcat(string s, int i) => s + i;
                    public void Generic(int i) => Take(i);
                    static void Take<T>(T value) { }
                }
                """;
            await Verify.AnalyzerAsync(source);
        }

        [Fact]
        public async Task RunsOnlyOnAuditedCode()
        {
            const string plain = "public class C { public object M(int i) => i; }";
            const string message = "'i' (int) is boxed: returned as 'object'";
            await Verify.AnalyzerAsync(plain);
            await Verify.AnalyzerAsync(plain, "layout_audit.allocation_scope = attributed");
            await Verify.AnalyzerAsync(plain.Replace("=> i", "=> {|#0:i|}"), "layout_audit.allocation_scope = all", Verify.Diagnostic(0).WithMessage(message));
            Assert.Equal(new[] { "i" }, await Findings.AtAsync<BoxingAnalyzer>(plain, new System.Collections.Generic.Dictionary<string, string> { ["layout_audit.allocation_scope"] = "all" }));
            Assert.Equal(new[] { "i" }, await Findings.AtAsync<BoxingAnalyzer>("[LayoutAudit.AuditAllocations] public class C { public object M(int i) => i; }"));
            Assert.Equal(new[] { "i" }, await Findings.AtAsync<BoxingAnalyzer>("public class C { [LayoutAudit.AuditAllocations] public object M(int i) => i; public object N(int j) => j; }"));
            Assert.Equal(new[] { "i" }, await Findings.AtAsync<BoxingAnalyzer>("[assembly: LayoutAudit.AuditAllocations] public class C { public object M(int i) => i; }"));
            Assert.Equal(new[] { "i" }, await Findings.AtAsync<BoxingAnalyzer>("[LayoutAudit.AuditAllocations] public class Outer { public class Inner { public object M(int i) => i; } }"));
            Assert.Equal(new[] { "i" }, await Findings.AtAsync<BoxingAnalyzer>("public class C { public object P { [LayoutAudit.AuditAllocations] get { int i = 1; return i; } } }"));
        }
    }
}
