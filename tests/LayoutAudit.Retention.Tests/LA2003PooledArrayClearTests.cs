using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LayoutAudit.Retention.CodeFixes;
using Xunit;
using Fix = LayoutAudit.Retention.Tests.CodeFixVerifier<LayoutAudit.Retention.PooledArrayClearAnalyzer, LayoutAudit.Retention.CodeFixes.ClearArrayCodeFixProvider>;
using Verify = LayoutAudit.Retention.Tests.AnalyzerVerifier<LayoutAudit.Retention.PooledArrayClearAnalyzer>;

namespace LayoutAudit.Retention.Tests
{
    public sealed class LA2003PooledArrayClearTests
    {
        private static string Wrap(string members) => $$"""
            using System;
            using System.Buffers;
            using System.Collections.Generic;
            using System.Runtime.CompilerServices;

            public struct Entry { public string Name; public int Id; }
            public struct Outer { public Entry Inner; public long Stamp; }
            public struct Point { public int X; public int Y; }
            public struct Segment { public Point From; public Point To; }
            public enum Color { Red, Green }
            public sealed class Payload { }
            public sealed class StringPool : ArrayPool<string>
            {
                public override string[] Rent(int minimumLength) => new string[minimumLength];
                public override void Return(string[] array, bool clearArray = false) { }
            }

            public class Sample
            {
            {{members}}
            }
            """;

        public static IEnumerable<object[]> Fires() => new[]
        {
            "void M(string[] a) => [|ArrayPool<string>.Shared.Return(a)|];",
            "void M(object[] a) => [|ArrayPool<object>.Shared.Return(a)|];",
            "void M(Payload[] a) => [|ArrayPool<Payload>.Shared.Return(a)|];",
            "void M(string[] a) => [|ArrayPool<string>.Shared.Return(a, clearArray: false)|];",
            "void M(string[] a) => [|ArrayPool<string>.Shared.Return(a, false)|];",
            "void M(Entry[] a) => [|ArrayPool<Entry>.Shared.Return(a)|];",
            "void M(Outer[] a) => [|ArrayPool<Outer>.Shared.Return(a)|];",
            "void M(KeyValuePair<string, int>[] a) => [|ArrayPool<KeyValuePair<string, int>>.Shared.Return(a)|];",
            "void M((string, int)[] a) => [|ArrayPool<(string, int)>.Shared.Return(a)|];",
            "void M(Entry?[] a) => [|ArrayPool<Entry?>.Shared.Return(a)|];",
            "private readonly ArrayPool<object> _pool = ArrayPool<object>.Create(); void M(object[] a) => [|_pool.Return(a)|];",
            "void M(StringPool pool, string[] a) => [|pool.Return(a)|];",
            "void M<T>(T[] a) => [|ArrayPool<T>.Shared.Return(a)|];",
            "void M<T>(T[] a) where T : class => [|ArrayPool<T>.Shared.Return(a)|];",
            "void M<T>(T[] a) where T : struct => [|ArrayPool<T>.Shared.Return(a)|];",
            "void M(IDisposable[] a) => [|ArrayPool<IDisposable>.Shared.Return(a)|];",
            "void M(Action[] a) => [|ArrayPool<Action>.Shared.Return(a)|];",
            "void M(byte[][] a) => [|ArrayPool<byte[]>.Shared.Return(a)|];",
            "void M(ArrayPool<string>? pool, string[] a) => pool?[|.Return(a)|];",
            "Action M(string[] a) => () => [|ArrayPool<string>.Shared.Return(a)|];",
            "void M() { var a = ArrayPool<string>.Shared.Rent(8); try { a[0] = \"x\"; } finally { [|ArrayPool<string>.Shared.Return(a)|]; } }",
            "void M(List<string>[] a) => [|ArrayPool<List<string>>.Shared.Return(a)|];",
            "void M<T>(KeyValuePair<int, T>[] a) => [|ArrayPool<KeyValuePair<int, T>>.Shared.Return(a)|];",
            "void M(string[] a, string[] b) { Array.Clear(b); [|ArrayPool<string>.Shared.Return(a)|]; }",
            "void M(string[] a, bool clear) { if (clear) Array.Clear(a); [|ArrayPool<string>.Shared.Return(a)|]; }",
            "void M(string[] a, string[] b) { Array.Clear(a); a = b; [|ArrayPool<string>.Shared.Return(a)|]; }",
            "void M(string[] a) { [|ArrayPool<string>.Shared.Return(a)|]; Array.Clear(a); }",
        }.Select(s => new object[] { s });

        public static IEnumerable<object[]> StaysSilent() => new[]
        {
            "void M(byte[] a) => ArrayPool<byte>.Shared.Return(a);",
            "void M(int[] a) => ArrayPool<int>.Shared.Return(a);",
            "void M(char[] a) => ArrayPool<char>.Shared.Return(a);",
            "void M(Point[] a) => ArrayPool<Point>.Shared.Return(a);",
            "void M(Color[] a) => ArrayPool<Color>.Shared.Return(a);",
            "void M(Guid[] a) => ArrayPool<Guid>.Shared.Return(a);",
            "void M(int?[] a) => ArrayPool<int?>.Shared.Return(a);",
            "void M((int, long)[] a) => ArrayPool<(int, long)>.Shared.Return(a);",
            "void M(string[] a) => ArrayPool<string>.Shared.Return(a, clearArray: true);",
            "void M(string[] a) => ArrayPool<string>.Shared.Return(a, true);",
            "void M(string[] a, bool clear) => ArrayPool<string>.Shared.Return(a, clear);",
            "void M<T>(T[] a) => ArrayPool<T>.Shared.Return(a, RuntimeHelpers.IsReferenceOrContainsReferences<T>());",
            "void M<T>(T[] a) where T : unmanaged => ArrayPool<T>.Shared.Return(a);",
            "string[] M() => ArrayPool<string>.Shared.Rent(16);",
            "void Return(string[] a, bool clearArray = false) { } void M(string[] a) => Return(a);",
            "sealed class Stack { public void Return(object[] a) { } } void M(object[] a) => new Stack().Return(a);",
            "void M(decimal[] a) => ArrayPool<decimal>.Shared.Return(a);",
            "void M(bool[] a) => ArrayPool<bool>.Shared.Return(a);",
            "void M(DateTime[] a) => ArrayPool<DateTime>.Shared.Return(a);",
            "void M(Segment[] a) => ArrayPool<Segment>.Shared.Return(a);",
            "void M(KeyValuePair<int, long>[] a) => ArrayPool<KeyValuePair<int, long>>.Shared.Return(a);",
            "void M(nint[] a) => ArrayPool<nint>.Shared.Return(a);",
            "void M(StringPool pool, string[] a) => pool.Return(a, clearArray: true);",
            "void M<T>(T[] a) => ArrayPool<T>.Shared.Return(a, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());",
            "void M(string[] a) { Array.Clear(a); ArrayPool<string>.Shared.Return(a); }",
            "void M(string[] a, int used) { Array.Clear(a, 0, used); ArrayPool<string>.Shared.Return(a); }",
            "void M(string[] a) { a.AsSpan().Clear(); ArrayPool<string>.Shared.Return(a); }",
            "void M(string[] a, int used) { a.AsSpan(0, used).Clear(); int kept = used; ArrayPool<string>.Shared.Return(a); }",
            "void M() { var a = ArrayPool<string>.Shared.Rent(8); try { a[0] = \"x\"; } finally { Array.Clear(a); ArrayPool<string>.Shared.Return(a); } }",
            "private object[] _items = new object[4]; void M() { Array.Clear(_items); ArrayPool<object>.Shared.Return(_items); }",
        }.Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(Fires))]
        public Task ReportsAReturnThatLeavesReferences(string members) => Verify.VerifyAsync(Wrap(members));

        [Theory]
        [MemberData(nameof(StaysSilent))]
        public Task StaysSilentWhenNothingIsKeptAlive(string members) => Verify.VerifyAsync(Wrap(members));

        [Fact]
        public Task TheMessageNamesTheArrayTheElementTypeAndTheValueToPass() => Verify.VerifyAsync(
            Wrap("void M(string[] names) => {|#0:ArrayPool<string>.Shared.Return(names)|}; void G<T>(T[] items) => {|#1:ArrayPool<T>.Shared.Return(items)|};"),
            Verify.Diagnostic().WithLocation(0).WithArguments("names", "string", "true"),
            Verify.Diagnostic().WithLocation(1).WithArguments("items", "T", "RuntimeHelpers.IsReferenceOrContainsReferences<T>()"));

        [Fact]
        public Task LongOrMultiLineCodeIsQuotedOnOneLineAndCut() => Verify.VerifyAsync(
            Wrap("""
                static string[] GetNames(string a, string b) => new[] { a, b };
                void M() => {|#0:ArrayPool<string>.Shared.Return(GetNames("first-argument-is-long",
                    "second-argument-is-long"))|};
                """),
            Verify.Diagnostic().WithLocation(0).WithArguments("GetNames(\"first-argument-is-long\", \"s...", "string", "true"));

        [Fact]
        public Task TheFixAddsClearArrayOrTurnsFalseIntoTrue() => Fix.VerifyAsync(
            """
            using System.Buffers;

            public class Sample
            {
                public void M(string[] a, string[] b, string[] c)
                {
                    [|ArrayPool<string>.Shared.Return(a /* done with it */)|];
                    [|ArrayPool<string>.Shared.Return(b, false)|]; // positional
                    [|ArrayPool<string>.Shared.Return(
                        c,
                        clearArray: false)|];
                }
            }
            """,
            """
            using System.Buffers;

            public class Sample
            {
                public void M(string[] a, string[] b, string[] c)
                {
                    ArrayPool<string>.Shared.Return(a /* done with it */, clearArray: true);
                    ArrayPool<string>.Shared.Return(b, true); // positional
                    ArrayPool<string>.Shared.Return(
                        c,
                        clearArray: true);
                }
            }
            """);

        [Fact]
        public Task InGenericCodeTheFixAsksTheRuntimeAndImportsRuntimeHelpers() => Fix.VerifyAsync(
            """
            using System.Buffers;

            public static class Pooled<T>
            {
                public static void Release(T[] items) => [|ArrayPool<T>.Shared.Return(items)|];

                public static void ReleasePairs(System.Collections.Generic.KeyValuePair<int, T>[] pairs) =>
                    [|ArrayPool<System.Collections.Generic.KeyValuePair<int, T>>.Shared.Return(pairs)|];
            }
            """,
            """
            using System.Buffers;
            using System.Runtime.CompilerServices;

            public static class Pooled<T>
            {
                public static void Release(T[] items) => ArrayPool<T>.Shared.Return(items, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());

                public static void ReleasePairs(System.Collections.Generic.KeyValuePair<int, T>[] pairs) =>
                    ArrayPool<System.Collections.Generic.KeyValuePair<int, T>>.Shared.Return(pairs, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<System.Collections.Generic.KeyValuePair<int, T>>());
            }
            """);

        private const string PoolDemo = """
            using System;
            using System.Buffers;
            using System.Runtime.CompilerServices;

            public static class Demo
            {
                private static readonly ArrayPool<object> Pool = ArrayPool<object>.Create();

                [MethodImpl(MethodImplOptions.NoInlining)]
                private static WeakReference Use()
                {
                    object[] rented = Pool.Rent(16);
                    var payload = new byte[1 << 20];
                    rented[0] = payload;
                    RETURN;
                    return new WeakReference(payload);
                }

                public static bool PayloadSurvives()
                {
                    var payload = Use();
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    return payload.IsAlive;
                }
            }
            """;

        [Fact]
        public async Task TheRuntimeKeepsWhatAnUnclearedPooledArrayReferencesAndTheFixReleasesIt()
        {
            string flagged = PoolDemo.Replace("RETURN", "[|Pool.Return(rented)|]");
            string fixedCode = PoolDemo.Replace("RETURN", "Pool.Return(rented, clearArray: true)");
            await Fix.VerifyAsync(flagged, fixedCode);

            Assert.True(CompiledSample.Run<bool>(flagged.Replace("[|", string.Empty).Replace("|]", string.Empty), "Demo", "PayloadSurvives"));
            Assert.False(CompiledSample.Run<bool>(fixedCode, "Demo", "PayloadSurvives"));
        }
    }
}
