using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using LayoutAudit.Core;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace LayoutAudit.Fuzz.Tests
{
    /// <summary>
    /// The layout engine, the generator and the analyzers are cancelled in the middle of their largest inputs and
    /// must return (with <see cref="OperationCanceledException"/>) within a second of the cancellation, measured from
    /// the moment the token is cancelled, not from the start: an editor that cancels a stale run gets its thread back.
    /// </summary>
    [Collection(TimingCollection.Name)]
    public sealed class CancellationTests
    {
        /// <summary>The bound from the moment of cancellation to the return of the call.</summary>
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

        private readonly ITestOutputHelper _output;

        public CancellationTests(ITestOutputHelper output) => _output = output;

        public static TheoryData<string> EngineCases => new() { "5,000 fields", "3,000 distinct nested structs", "a chain of 400 nested structs" };

        [Theory]
        [MemberData(nameof(EngineCases))]
        public void TheLayoutEngineStopsWithinASecond(string name)
        {
            var (source, typeName) = name switch
            {
                "5,000 fields" => (LargeInputs.WideStruct(5000), "Wide"),
                "3,000 distinct nested structs" => (LargeInputs.StructOfDistinctStructs(3000), "Outer"),
                _ => (LargeInputs.NestedChain(400), "Chain0"),
            };
            var tree = LargeInputs.Parse(source);

            // Each run gets a compilation of its own, so that no binding and no layout is cached from the last.
            (LayoutEngine Engine, INamedTypeSymbol Type) Fresh()
            {
                var compilation = LargeInputs.Compilation(tree);
                return (new LayoutEngine(compilation), compilation.GetTypeByMetadataName(typeName)!);
            }

            LayoutEngine? engine = null;
            INamedTypeSymbol? type = null;
            AssertStopsSoonAfterCancellation(name, () =>
            {
                (engine, type) = Fresh();
                var (thisEngine, thisType) = (engine, type);
                return token => Assert.True(thisEngine.Compute(thisType, token).IsSuccess);
            });

            // The engine that was cancelled keeps nothing half-computed: asked again, it gives a fresh engine's layout.
            var again = engine!.Compute(type!);
            var (freshEngine, freshType) = Fresh();
            Assert.Equal(LayoutCodec.Encode(freshEngine.Compute(freshType).Layout!), LayoutCodec.Encode(again.Layout!));
        }

        [Fact]
        public void TheGeneratorStopsWithinASecond()
        {
            string source = LargeInputs.AnnotatedStructs(3000) + LargeInputs.WideStruct(5000, "AuditedWide", audited: true);
            GeneratorDriver? last = null;
            AssertStopsSoonAfterCancellation("3,000 audited structs and an audited 5,000-field struct", () =>
            {
                // A newly parsed tree: the generator keeps the models of unchanged trees across compilations.
                var compilation = LargeInputs.Compilation(LargeInputs.Parse(source));
                var driver = CSharpGeneratorDriver.Create(Extensions.All.Generators, parseOptions: LargeInputs.ParseOptions);
                return token => last = driver.RunGenerators(compilation, token);
            });

            // Only the driver's run is timed; the results of the last run that finished are checked here.
            Assert.All(last!.GetRunResult().Results, r => Assert.Null(r.Exception));
        }

        public static TheoryData<string> AnalyzerCases => new() { "the project's sources, 3,000 audited structs and a 5,000-field struct", "a method of 10,000 statements" };

        [Theory]
        [MemberData(nameof(AnalyzerCases))]
        public void TheAnalyzersStopWithinASecond(string name)
        {
            bool longMethod = name.StartsWith("a method", StringComparison.Ordinal);
            var trees = new List<SyntaxTree>();
            if (longMethod)
            {
                trees.Add(LargeInputs.Parse(LargeInputs.LongMethod(10_000), "LongMethod.cs"));
            }
            else
            {
                trees.AddRange(ProjectSources().Select(f => LargeInputs.Parse(f.Text, f.Path)));
                trees.Add(LargeInputs.Parse(LargeInputs.AnnotatedStructs(3000), "Annotated.cs"));
                trees.Add(LargeInputs.Parse(LargeInputs.WideStruct(5000), "Wide.cs"));
            }

            // Cancelled from inside the run, by a probe analyzer run first: at the 1,500th type, half-way through the
            // audited structs; or at the 5,000th statement of the long method, after the compiler has bound it and
            // while the operation analyzers walk it. (The compiler's own binding and nullable analysis of one method
            // is not interruptible: a run cancelled during it returns when the method is done, whatever the analyzers.)
            using var cancellation = new CancellationTokenSource();
            var clock = new Stopwatch();
            long cancelledAt = -1;
            using var stamp = cancellation.Token.Register(() => Interlocked.Exchange(ref cancelledAt, clock.Elapsed.Ticks));
            var probe = new CancellingProbe(longMethod ? 5000 : 1500, longMethod, cancellation, clock);
            var failures = new List<string>();
            var options = new CompilationWithAnalyzersOptions(
                AllRulesOptions.Analyzer,
                onAnalyzerException: (e, analyzer, _) => { lock (failures) { failures.Add($"{analyzer.GetType().Name} threw {e}"); } },
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false);
            var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(probe).AddRange(Extensions.All.Analyzers);
            var withAnalyzers = LargeInputs.Compilation(trees).WithAnalyzers(analyzers, options);

            clock.Start();
            var thrown = Record.Exception(() => withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellation.Token).GetAwaiter().GetResult());
            var returned = clock.Elapsed;

            Assert.True(probe.Seen >= probe.Count, $"the analysis finished after {probe.Seen} events, before it was cancelled");
            Assert.IsAssignableFrom<OperationCanceledException>(thrown);
            Assert.Empty(failures);
            var afterCancel = returned - probe.CancelledAt;
            _output.WriteLine($"{name} ({trees.Count} files, {analyzers.Length - 1} analyzers): cancelled at {probe.CancelledAt.TotalMilliseconds:F0} ms (token callbacks at {TimeSpan.FromTicks(Interlocked.Read(ref cancelledAt)).TotalMilliseconds:F0} ms), returned {afterCancel.TotalMilliseconds:F0} ms later");
            Assert.True(afterCancel < Bound, $"{name}: the analyzers returned {afterCancel.TotalMilliseconds:F0} ms after cancellation");
        }

        /// <summary>Measures one uncancelled run, then cancels fresh runs at half, a quarter, an eighth... of that
        /// time until one is cancelled before it finishes; that run must return within <see cref="Bound"/> of the
        /// cancellation.</summary>
        private void AssertStopsSoonAfterCancellation(string name, Func<Action<CancellationToken>> prepare)
        {
            // Warm (JIT) and measure.
            prepare()(CancellationToken.None);
            var run = prepare();
            var full = Stopwatch.StartNew();
            run(CancellationToken.None);
            var whole = full.Elapsed;

            var delay = whole / 2;
            for (int attempt = 0; attempt < 6; attempt++, delay /= 2)
            {
                run = prepare();
                using var cancellation = new CancellationTokenSource();
                var clock = Stopwatch.StartNew();
                long cancelledAt = -1;
                using var stamp = cancellation.Token.Register(() => Interlocked.Exchange(ref cancelledAt, clock.Elapsed.Ticks));

                // A thread of its own, not the thread pool: on a loaded machine the cancellation must not wait its turn.
                var canceller = new Thread(() => { Thread.Sleep(delay); cancellation.Cancel(); }) { IsBackground = true, Priority = ThreadPriority.Highest };
                canceller.Start();
                var thrown = Record.Exception(() => run(cancellation.Token));
                var returned = clock.Elapsed;
                canceller.Join();
                if (thrown is null)
                {
                    // Finished first, or past its last check when the cancellation came: either way within the bound.
                    long stamped = Interlocked.Read(ref cancelledAt);
                    stamped = stamped > returned.Ticks ? -1 : stamped;
                    string when = stamped < 0 ? "before the cancellation" : $"normally, {(returned - TimeSpan.FromTicks(stamped)).TotalMilliseconds:F0} ms after the cancellation at {TimeSpan.FromTicks(stamped).TotalMilliseconds:F0} ms";
                    _output.WriteLine($"{name}: returned at {returned.TotalMilliseconds:F0} ms {when}; again, earlier");
                    Assert.True(stamped < 0 || returned - TimeSpan.FromTicks(stamped) < Bound, $"{name}: ran on for a second after the cancellation");
                    continue;
                }

                Assert.IsAssignableFrom<OperationCanceledException>(thrown);
                var afterCancel = returned - TimeSpan.FromTicks(Interlocked.Read(ref cancelledAt));
                _output.WriteLine($"{name}: a whole run takes {whole.TotalMilliseconds:F0} ms; cancelled at {TimeSpan.FromTicks(cancelledAt).TotalMilliseconds:F0} ms, returned {afterCancel.TotalMilliseconds:F0} ms later");
                Assert.True(afterCancel < Bound, $"{name}: returned {afterCancel.TotalMilliseconds:F0} ms after cancellation");
                return;
            }

            Assert.Fail($"{name}: every run (a whole one takes {whole.TotalMilliseconds:F0} ms) finished before its cancellation");
        }

        /// <summary>The project's own C# sources, the largest real input at hand.</summary>
        private static List<(string Path, string Text)> ProjectSources()
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "LayoutAudit.sln")))
            {
                folder = folder.Parent;
            }

            string src = Path.Combine(folder?.FullName ?? throw new InvalidOperationException("LayoutAudit.sln not found"), "src");
            return Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
                .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(p => (p, File.ReadAllText(p)))
                .ToList();
        }

        /// <summary>Cancels the run it is part of once it has seen a number of named types, or of statements.</summary>
#pragma warning disable RS1001, RS1025, RS1026 // a test probe, not a shipped analyzer
        private sealed class CancellingProbe : DiagnosticAnalyzer
        {
            private static readonly DiagnosticDescriptor s_never = new("PROBE01", "probe", "probe", "probe", DiagnosticSeverity.Hidden, true);
            private readonly bool _statements;
            private readonly CancellationTokenSource _cancellation;
            private readonly Stopwatch _clock;
            private int _seen;
            private long _cancelledAt;

            public CancellingProbe(int count, bool statements, CancellationTokenSource cancellation, Stopwatch clock)
            {
                Count = count;
                _statements = statements;
                _cancellation = cancellation;
                _clock = clock;
            }

            /// <summary>When the probe cancelled, on the run's clock.</summary>
            public TimeSpan CancelledAt => TimeSpan.FromTicks(Interlocked.Read(ref _cancelledAt));

            public int Count { get; }

            public int Seen => Volatile.Read(ref _seen);

            public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(s_never);

            public override void Initialize(AnalysisContext context)
            {
                context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
                if (_statements)
                {
                    context.RegisterOperationAction(_ => Saw(), OperationKind.ExpressionStatement, OperationKind.VariableDeclarationGroup);
                }
                else
                {
                    context.RegisterSymbolAction(_ => Saw(), SymbolKind.NamedType);
                }
            }

            private void Saw()
            {
                if (Interlocked.Increment(ref _seen) == Count)
                {
                    Interlocked.Exchange(ref _cancelledAt, _clock.Elapsed.Ticks);
                    _cancellation.Cancel();
                }
            }
        }
#pragma warning restore RS1001, RS1025, RS1026
    }
}
