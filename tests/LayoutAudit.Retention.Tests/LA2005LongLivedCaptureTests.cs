using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LayoutAudit.Retention.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Fix = LayoutAudit.Retention.Tests.CodeFixVerifier<LayoutAudit.Retention.LongLivedCaptureAnalyzer, LayoutAudit.Retention.CodeFixes.CaptureLengthCodeFixProvider>;
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

        [Fact]
        public Task TheFixCapturesTheLengthOfAnArrayThatCannotChange() => Fix.VerifyAsync(
            """
            #nullable enable
            using System;
            using System.Threading.Tasks;

            public class Worker
            {
                private Func<int>? _probe;
                private Func<long>? _size;
                private static void Process(int value) { }

                public void Start(byte[] data)
                {
                    // report the size later
                    Task.Run(() => Process([|data|].Length));
                }

                public void Watch(int bufferLength)
                {
                    var buffer = new byte[1 << 20];
                    _probe = () => [|buffer|].Length + buffer.Length + bufferLength;
                    _size = () => [|buffer|].LongLength;
                }

                public void Nested(int[] items)
                {
                    _probe = () => { Func<int> count = () => [|items|].Length; return count(); };
                }

                public void Both(int[] a, int[] b)
                {
                    Task.WaitAll(Task.Run(() => Process([|a|].Length)), Task.Run(() => Process([|b|].Length)));
                }
            }
            """,
            """
            #nullable enable
            using System;
            using System.Threading.Tasks;

            public class Worker
            {
                private Func<int>? _probe;
                private Func<long>? _size;
                private static void Process(int value) { }

                public void Start(byte[] data)
                {
                    // report the size later
                    int dataLength = data.Length;
                    Task.Run(() => Process(dataLength));
                }

                public void Watch(int bufferLength)
                {
                    var buffer = new byte[1 << 20];
                    int bufferLength2 = buffer.Length;
                    _probe = () => bufferLength2 + bufferLength2 + bufferLength;
                    long bufferLongLength = buffer.LongLength;
                    _size = () => bufferLongLength;
                }

                public void Nested(int[] items)
                {
                    int itemsLength = items.Length;
                    _probe = () => { Func<int> count = () => itemsLength; return count(); };
                }

                public void Both(int[] a, int[] b)
                {
                    int aLength = a.Length;
                    int bLength = b.Length;
                    Task.WaitAll(Task.Run(() => Process(aLength)), Task.Run(() => Process(bLength)));
                }
            }
            """);

        [Fact]
        public async Task NestedLongLivedLambdasAreFixedOneAtATimeOrTogether()
        {
            // The worker stored in the field starts a task: both lambdas hold 'data' for its length (and the task 'other').
            var test = new CSharpCodeFixTest<LongLivedCaptureAnalyzer, CaptureLengthCodeFixProvider, DefaultVerifier>
            {
                ReferenceAssemblies = TestReferences.Net10,
                TestCode = """
                    using System;
                    using System.Threading.Tasks;

                    public class Worker
                    {
                        private Action _start;
                        private static void Process(int value) { }

                        public void Start()
                        {
                            var data = new byte[64];
                            var other = new byte[8];
                            _start = () =>
                            {
                                Task.Run(() => Process({|#0:data|}.Length + {|#1:other|}.Length));
                            };
                        }
                    }
                    """,
                FixedCode = """
                    using System;
                    using System.Threading.Tasks;

                    public class Worker
                    {
                        private Action _start;
                        private static void Process(int value) { }

                        public void Start()
                        {
                            var data = new byte[64];
                            var other = new byte[8];
                            int dataLength2 = data.Length;
                            int otherLength2 = other.Length;
                            _start = () =>
                            {
                                int dataLength = dataLength2;
                                int otherLength = otherLength2;
                                Task.Run(() => Process(dataLength + otherLength));
                            };
                        }
                    }
                    """,
                BatchFixedCode = """
                    using System;
                    using System.Threading.Tasks;

                    public class Worker
                    {
                        private Action _start;
                        private static void Process(int value) { }

                        public void Start()
                        {
                            var data = new byte[64];
                            var other = new byte[8];
                            int dataLength = data.Length;
                            int otherLength = other.Length;
                            _start = () =>
                            {
                                Task.Run(() => Process(dataLength + otherLength));
                            };
                        }
                    }
                    """,
            };
            test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(0).WithArguments("field '_start'", "data", "byte[]", "'data.Length'").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
            test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(0).WithArguments("Task.Run", "data", "byte[]", "'data.Length'").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
            test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(1).WithArguments("field '_start'", "other", "byte[]", "'other.Length'").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
            test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(1).WithArguments("Task.Run", "other", "byte[]", "'other.Length'").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
            await test.RunAsync();
        }

        public static IEnumerable<object[]> NotFixed() => new[]
        {
            // An element may be written between the lambda's creation and its run.
            "void M(int[] data) { Task.Run(() => Process([|data|][0])); }",
            // The variable may hold another array by the time the lambda runs.
            "void M() { var data = new int[4]; _probe = () => [|data|].Length; data = new int[8]; }",
            "void M() { var data = new int[4]; _probe = () => [|data|].Length; Array.Resize(ref data, 8); }",
            "void M() { var data = new int[4]; _probe = () => [|data|].Length; Reset(); void Reset() => data = new int[8]; }",
            // A list's count and a stream's length change.
            "void M(List<int> items) { _probe = () => [|items|].Count; }",
            "void M(Stream stream) { _probe = () => (int)[|stream|].Length; }",
            // Null here would throw in the lambda; read before it, it would throw in the method.
            "void M(int[]? data) { _probe = () => [|data|]!.Length; }",
            // No statement in a block to put the local before.
            "void M(int[] data) => _probe = () => [|data|].Length;",
            "void M(int[] data, bool on) { if (on) _probe = () => [|data|].Length; }",
            // The array does not exist before the statement that creates the lambda.
            "void M(object o) { if (o is int[] data && (_probe = () => [|data|].Length) is not null) { } }",
            "void M() { Func<int[], Task> start = data => Task.Run(() => Process([|data|].Length)); start(new int[4]); }",
        }.Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(NotFixed))]
        public Task TheFixIsNotOfferedWhenMovingTheReadCouldChangeWhatTheCodeDoes(string members)
        {
            string source = "#nullable enable\n" + Wrap(members);
            return Fix.VerifyAsync(source, source);
        }

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
        public async Task TheRuntimeKeepsTheWholeCapturedArrayAndTheFixReleasesIt()
        {
            string flagged = CallbackDemo.Replace("CAPTURE", "s_probe = () => [|data|].Length;");
            string narrowed = CallbackDemo.Replace("CAPTURE", "int dataLength = data.Length;\n        s_probe = () => dataLength;");
            await Fix.VerifyAsync(flagged, narrowed);

            Assert.True(CompiledSample.Run<bool>(flagged.Replace("[|", string.Empty).Replace("|]", string.Empty), "Demo", "DataSurvives"));
            Assert.False(CompiledSample.Run<bool>(narrowed, "Demo", "DataSurvives"));
        }
    }
}
