using System.Threading.Tasks;
using Xunit;
using Fix = LayoutAudit.Allocations.Tests.FixVerify<LayoutAudit.Allocations.BoxingAnalyzer, LayoutAudit.Allocations.CodeFixes.UseTypeOfCodeFixProvider>;

namespace LayoutAudit.Allocations.Tests
{
    public sealed class LA1001CodeFixTests
    {
        private const string Source = """
            public struct Point { public int X; public Inner In; }
            public struct Inner { public long Y; }
            public enum Color { Red }
            [LayoutAudit.AuditAllocations]
            public class C
            {
                private Point _point;
                private static Point s_origin;
                public Type Parameter(Point p) => {|LA1001:p|}.GetType();
                public Type Field() => {|LA1001:_point|}.GetType();
                public Type Static() => {|LA1001:C.s_origin|}.GetType();
                public Type Nested(Point p) => {|LA1001:p.In|}.GetType();
                public string Enum(Color c) => ({|LA1001:c|}).GetType().Name;
                public Type Tuple((int, string) pair) => {|LA1001:pair|}.GetType();
            }
            [LayoutAudit.AuditAllocations]
            public struct S
            {
                public Type Self() => {|LA1001:GetType|}();
                public Type This() => {|LA1001:this|}.GetType();
            }
            """;

        private const string Fixed = """
            public struct Point { public int X; public Inner In; }
            public struct Inner { public long Y; }
            public enum Color { Red }
            [LayoutAudit.AuditAllocations]
            public class C
            {
                private Point _point;
                private static Point s_origin;
                public Type Parameter(Point p) => typeof(Point);
                public Type Field() => typeof(Point);
                public Type Static() => typeof(Point);
                public Type Nested(Point p) => typeof(Inner);
                public string Enum(Color c) => typeof(Color).Name;
                public Type Tuple((int, string) pair) => typeof((int, string));
            }
            [LayoutAudit.AuditAllocations]
            public struct S
            {
                public Type Self() => typeof(S);
                public Type This() => typeof(S);
            }
            """;

        [Fact]
        public async Task ReplacesGetTypeOfAValueWithTypeof() => await Fix.VerifyAsync(Source, Fixed);

        [Fact]
        public void TheFixedCodeBoxesNothing()
        {
            foreach (string method in new[] { "C.Parameter", "C.Field", "C.Static", "C.Nested", "C.Enum", "C.Tuple", "S.Self", "S.This" })
            {
                FixIl.FixRemoves(IlAllocationKind.Box, method, Source, Fixed);
            }
        }

        [Fact]
        public async Task OffersNothingWhereTheReceiverMustStillBeEvaluatedOrIsNotItsRuntimeType()
        {
            const string source = """
                public struct Point { public int X; public override string ToString() => "p"; }
                public class Box { public Point P; }
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    private Point Property => default;
                    private static Point Make() => default;
                    public Type Call() => {|LA1001:Make()|}.GetType();
                    public Type Prop() => {|LA1001:Property|}.GetType();
                    public Type ThroughReference(Box box) => {|LA1001:box.P|}.GetType();
                    public Type Element(Point[] points) => {|LA1001:points[0]|}.GetType();
                    public Type Nullable(int? n) => {|LA1001:n|}.GetType();
                    public Type Generic<T>(T value) where T : struct => {|LA1001:value|}.GetType();
                    public object Converted(Point p) => {|LA1001:p|};
                }
                """;
            await Fix.VerifyAsync(source, source);
        }
    }
}
