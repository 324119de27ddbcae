using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Retention.Tests.AnalyzerVerifier<LayoutAudit.Retention.LongLivedCaptureAnalyzer>;

namespace LayoutAudit.Retention.Tests
{
    public sealed class LA2005LongLivedCaptureTests
    {
        private static string Wrap(string members) => $$"""
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;

            public class Sample
            {
                private Action? _callback;
                private Func<int>? _probe;
                public event EventHandler? Changed;
                public Action? Handler { get; set; }
                private static void Process(object? value) { }
                private static void Work() { }

            {{members}}
            }
            """;

        public static IEnumerable<object[]> Fires() => new[]
        {
            "void M(int[] data) => Task.Run(() => Process([|data|][0]));",
            "void M(byte[] data) { var thread = new Thread(() => Process([|data|].Length)); thread.Start(); }",
            "Timer M(List<string> lines) => new Timer(_ => Process([|lines|].Count), null, 0, 1000);",
            "void M(string[] names) => ThreadPool.QueueUserWorkItem(_ => Process([|names|][0]));",
            "void M(string[] names) => ThreadPool.UnsafeQueueUserWorkItem(_ => Process([|names|][0]), null);",
            "void M(int[] data) => _probe = () => [|data|].Length;",
            "void M(int[] data) => Handler = () => Process([|data|][1]);",
            "void M(List<int> items) => Changed += (sender, args) => Process([|items|][0]);",
            "void M(int[] data) => Task.Factory.StartNew(() => Process([|data|][0]));",
            "void M(Stream stream) => _probe = () => (int)[|stream|].Length;",
            "void M() { var data = new byte[1 << 20]; _probe = () => [|data|].Length; }",
            "void M(Dictionary<string, int> map) => _probe = () => [|map|][\"a\"];",
            "void M(List<string> lines) => Task.Run(() => Process([|lines|].First()));",
            "void M(int[] data) => _probe = () => [|data|][0] + data.Length;",
            "void M(int[] data) => _probe = delegate { return [|data|][0]; };",
            "void M(Queue<int> queue) => _probe = () => [|queue|].Count;",
            "void M(HashSet<string> set) => _probe = () => [|set|].Count;",
            "void M(List<string> lines) => _callback = () => Process([|lines|].ElementAt(3));",
            "void M(int[] data) => Task.Run(async () => { await Task.Delay(1); Process([|data|][0]); });",
            "void M(int[] data) => _callback = () => { Func<int> first = () => [|data|][0]; Process(first()); };",
            "void M(int[] data) { var timer = new System.Timers.Timer(1000); timer.Elapsed += (s, e) => Process([|data|][0]); timer.Start(); }",
        }.Select(s => new object[] { s });

        public static IEnumerable<object[]> StaysSilent() => new[]
        {
            "void M(int[] data) => Task.Run(() => Process(data));",
            "void M(int[] data) => Task.Run(() => { foreach (var x in data) { Process(x); } });",
            "void M(int[] data) => _callback = () => data[0] = 1;",
            "void M(int[] data) => _callback = () => data[0]++;",
            "int M(int[] data) { Func<int> first = () => data[0]; return first(); }",
            "void M(int[] data) => Process(data.Where(x => x > data[0]));",
            "void M(int[] data) { int n = data.Length; Task.Run(() => Process(n)); }",
            "void M(string text) => _probe = () => text.Length;",
            "void M(int[] data) => _probe = () => data.Sum();",
            "void M() => _probe = () => { var local = new int[3]; return local[0]; };",
            "void M() => _callback = static () => Process(1);",
            "void M() => _probe = () => _callback is null ? 0 : 1;",
            "void M(Stream stream) => Task.Run(() => stream.CopyTo(Stream.Null));",
            "void M(Dictionary<string, int> map) => _probe = () => map.Keys.Count;",
            "void M(int[] data) => _probe = () => data[0] + data.Sum();",
            "void M() => Task.Run(Work);",
            "void M(int[] data) => Task.CompletedTask.ContinueWith(_ => Process(data[0]));",
            "void M(int[] data) => _callback = () => Array.Resize(ref data, 2);",
            "void M(List<int> items) => _callback = () => items.Add(1);",
            "void M(int[] data) => _callback = () => Process(data.AsSpan(1).ToArray());",
        }.Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(Fires))]
        public Task ReportsALongLivedLambdaThatHoldsAWholeCollectionForAPart(string members) => Verify.VerifyAsync(Wrap(members));

        [Theory]
        [MemberData(nameof(StaysSilent))]
        public Task StaysSilentWhenTheLambdaNeedsTheWholeThingOrDiesWithTheMethod(string members) => Verify.VerifyAsync(Wrap(members));

        [Fact]
        public Task TheMessageNamesTheHostTheVariableItsTypeAndThePartsUsed() => Verify.VerifyAsync(
            Wrap("""
                void M(byte[] data) => Task.Run(() => Process({|#0:data|}[0] + data.Length));
                void N(List<string> lines) => Changed += (s, e) => Process({|#1:lines|}.First());
                """),
            Verify.Diagnostic().WithLocation(0).WithArguments("Task.Run", "data", "byte[]", "'data[0]', 'data.Length'"),
            Verify.Diagnostic().WithLocation(1).WithArguments("event 'Changed'", "lines", "List<string>", "'lines.First()'"));

        private const string CallbackDemo = """
            using System;
            using System.Runtime.CompilerServices;

            public static class Demo
            {
                private static Func<int>? s_probe;

                [MethodImpl(MethodImplOptions.NoInlining)]
                private static WeakReference Subscribe()
                {
                    var data = new byte[1 << 20];
                    CAPTURE
                    return new WeakReference(data);
                }

                public static bool DataSurvives()
                {
                    var data = Subscribe();
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    return s_probe!() == 1 << 20 && data.IsAlive;
                }
            }
            """;

        [Fact]
        public async Task TheRuntimeKeepsTheWholeCapturedArrayAndCapturingTheLengthReleasesIt()
        {
            string flagged = CallbackDemo.Replace("CAPTURE", "s_probe = () => [|data|].Length;");
            string narrowed = CallbackDemo.Replace("CAPTURE", "int length = data.Length;\n        s_probe = () => length;");
            await Verify.VerifyAsync(flagged);
            await Verify.VerifyAsync(narrowed);

            Assert.True(CompiledSample.Run<bool>(flagged.Replace("[|", string.Empty).Replace("|]", string.Empty), "Demo", "DataSurvives"));
            Assert.False(CompiledSample.Run<bool>(narrowed, "Demo", "DataSurvives"));
        }
    }
}
