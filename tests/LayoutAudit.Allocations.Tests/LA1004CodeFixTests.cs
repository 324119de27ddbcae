using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Fix = LayoutAudit.Allocations.Tests.FixVerify<LayoutAudit.Allocations.ParamsArrayAnalyzer, LayoutAudit.Allocations.CodeFixes.PassSpanCodeFixProvider>;

namespace LayoutAudit.Allocations.Tests
{
    public sealed class LA1004CodeFixTests
    {
        private const string Source = """
            [LayoutAudit.AuditAllocations]
            public class C
            {
                static int Sum(params int[] values) => values.Length;
                static int Sum(ReadOnlySpan<int> values) => values.Length;
                static void Log(string format, params object?[] args) { }
                static void Log(string format, ReadOnlySpan<object?> args) { }
                public int Ints(int a, int b) => {|LA1004:Sum(a, b, 3)|};
                public void Objects(string s, int n)
                {
                    for (int i = 0; i < n; i++)
                    {
                        {|LA1004:Log("{0} {1}",
                            s,
                            i)|};
                    }
                }
            }
            """;

        private const string Fixed = """
            [LayoutAudit.AuditAllocations]
            public class C
            {
                static int Sum(params int[] values) => values.Length;
                static int Sum(ReadOnlySpan<int> values) => values.Length;
                static void Log(string format, params object?[] args) { }
                static void Log(string format, ReadOnlySpan<object?> args) { }
                public int Ints(int a, int b) => Sum([a, b, 3]);
                public void Objects(string s, int n)
                {
                    for (int i = 0; i < n; i++)
                    {
                        Log("{0} {1}",
                            [s, i]);
                    }
                }
            }
            """;

        [Fact]
        public async Task PassesACollectionExpressionToTheSpanOverload() => await Fix.VerifyAsync(Source, Fixed);

        [Fact]
        public void TheFixedCallsAllocateNoArray()
        {
            FixIl.FixRemoves(IlAllocationKind.Array, "C.Ints", Source, Fixed);
            FixIl.FixRemoves(IlAllocationKind.Array, "C.Objects", Source, Fixed);
        }

        // Before C# 13 a params span overload of the libraries is not a params overload for the compiler, so the call
        // takes the array; a collection expression (C# 12) binds to the span.
        private const string CSharp12Source = """
            [LayoutAudit.AuditAllocations]
            public class C
            {
                public string Combine(string a, string b, string c, string d, string e) => {|LA1004:System.IO.Path.Combine(a, b, c, d, e)|};
            }
            """;

        private const string CSharp12Fixed = """
            [LayoutAudit.AuditAllocations]
            public class C
            {
                public string Combine(string a, string b, string c, string d, string e) => System.IO.Path.Combine([a, b, c, d, e]);
            }
            """;

        [Fact]
        public async Task InCSharp12BindsToTheLibrarysSpanOverload() => await Fix.VerifyAsync(CSharp12Source, CSharp12Fixed, LanguageVersion.CSharp12);

        [Fact]
        public void InCSharp12TheFixedCallAllocatesNoArray() => FixIl.FixRemoves(IlAllocationKind.Array, "C.Combine", CSharp12Source, CSharp12Fixed, LanguageVersion.CSharp12);

        // The span never crosses the await or the yield: the fix removes the array in state machines too.
        private const string StateMachineSource = """
            [LayoutAudit.AuditAllocations]
            public class C
            {
                static int Sum(params int[] values) => values.Length;
                static int Sum(ReadOnlySpan<int> values) => values.Length;
                public async Task<int> Async(int a) { await Task.Yield(); return {|LA1004:Sum(a, a)|}; }
                public IEnumerable<int> Iterator(int a) { yield return {|LA1004:Sum(a, a)|}; }
            }
            """;

        private const string StateMachineFixed = """
            [LayoutAudit.AuditAllocations]
            public class C
            {
                static int Sum(params int[] values) => values.Length;
                static int Sum(ReadOnlySpan<int> values) => values.Length;
                public async Task<int> Async(int a) { await Task.Yield(); return Sum([a, a]); }
                public IEnumerable<int> Iterator(int a) { yield return Sum([a, a]); }
            }
            """;

        [Fact]
        public async Task FixesCallsInAsyncMethodsAndIterators() => await Fix.VerifyAsync(StateMachineSource, StateMachineFixed);

        [Fact]
        public void InAsyncMethodsAndIteratorsTheFixedCallsAllocateNoArray()
        {
            FixIl.FixRemoves(IlAllocationKind.Array, "<Async>d__*", StateMachineSource, StateMachineFixed);
            FixIl.FixRemoves(IlAllocationKind.Array, "<Iterator>d__*", StateMachineSource, StateMachineFixed);
        }

        [Fact]
        public async Task OffersNothingWithoutAnOverloadThatTakesTheSameArgumentsAsASpan()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    static void Ints(params int[] values) { }
                    static void Widened(params int[] values) { }
                    static void Widened(ReadOnlySpan<long> values) { }
                    static void Other(string format, params object[] args) { }
                    static void Other(object format, ReadOnlySpan<object> args) { }
                    static ReadOnlySpan<int> Pick(params int[] values) => values;
                    static ReadOnlySpan<int> Pick(ReadOnlySpan<int> values) => values;
                    public void M(int a)
                    {
                        {|LA1004:Ints(a, a)|};
                        {|LA1004:Widened(a, a)|};
                        {|LA1004:Other("x", a)|};
                    }
                    public ReadOnlySpan<int> Escapes(int a) => {|LA1004:Pick(a, a)|};
                }
                """;
            await Fix.VerifyAsync(source, source);
        }

        [Fact]
        public async Task OffersNothingWhereTheCollectionExpressionIsAmbiguous()
        {
            // C# 12: string.Join(",", [a, b, c]) could be a span of strings or a span of objects.
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    public string Join(string a, string b, string c) => {|LA1004:string.Join(",", a, b, c)|};
                }
                """;
            await Fix.VerifyAsync(source, source, LanguageVersion.CSharp12);
        }

        [Fact]
        public async Task OffersNothingBeforeCollectionExpressions()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    static void Ints(params int[] values) { }
                    static void Ints(ReadOnlySpan<int> values) { }
                    public void M(int a) => {|LA1004:Ints(a, a)|};
                }
                """;
            await Fix.VerifyAsync(source, source, LanguageVersion.CSharp11);
        }
    }
}
