using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace LayoutAudit.Fuzz.Tests
{
    public sealed class FuzzTests
    {
        private readonly ITestOutputHelper _output;

        public FuzzTests(ITestOutputHelper output) => _output = output;

        /// <summary>How many inputs: CI runs the default; <c>LAYOUT_AUDIT_FUZZ_INPUTS=100000</c> is the long mode.</summary>
        private static int InputCount => int.TryParse(Environment.GetEnvironmentVariable("LAYOUT_AUDIT_FUZZ_INPUTS"), out int n) && n > 0 ? n : 1200;

        private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("LAYOUT_AUDIT_FUZZ_SEED"), out int s) ? s : 20261123;

        [Fact]
        public void EveryShippedExtensionIsFound()
        {
            var all = Extensions.All;
            var ids = all.Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet();
            _output.WriteLine($"assemblies: {string.Join(", ", all.Assemblies)}; analyzers {all.Analyzers.Length}, generators {all.Generators.Length}, fixes {all.Fixes.Length}; ids {string.Join(" ", ids.OrderBy(i => i))}");
            Assert.Contains("LA0001", ids);
            Assert.NotEmpty(all.Generators);
            Assert.NotEmpty(all.Fixes);
        }

        [Fact]
        public async Task TheProjectsCodeAndItsMutantsNeverCrashOrHang()
        {
            var sources = CorpusFiles();
            Assert.NotEmpty(sources);
            var failures = new ConcurrentBag<string>();
            int done = 0;
            var stopwatch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, InputCount), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) =>
            {
                // Each input has its own seed, so a failure is reproducible whatever the scheduling.
                var random = new Random(unchecked(Seed + (i * 7919)));
                var (path, text) = sources[i < sources.Count ? i : random.Next(sources.Count)];
                string input = i < sources.Count ? text : Mutator.Mutate(text, random);
                var problems = await ExtensionRunner.RunAsync(input, fixes: i % 4 == 0).ConfigureAwait(false);
                if (problems.Count > 0)
                {
                    string saved = Save(input);
                    failures.Add($"input {i} (from {path}, saved as {saved}): {problems[0]}");
                }

                int count = Interlocked.Increment(ref done);
                if (count % ProgressEvery == 0)
                {
                    Progress($"{DateTime.UtcNow:HH:mm:ss} {count} inputs, {failures.Count} failures, {stopwatch.Elapsed.TotalSeconds:F0} s");
                }
            });

            _output.WriteLine($"{done} inputs from {sources.Count} files (seed {Seed}) in {stopwatch.Elapsed.TotalSeconds:F0} s; "
                + $"stage time: generators {Seconds(ExtensionRunner.GeneratorTicks):F0} s, analyzers {Seconds(ExtensionRunner.AnalyzerTicks):F0} s, fixes {Seconds(ExtensionRunner.FixTicks):F0} s");
            Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(10)));
        }

        [Fact]
        public async Task TheRunnerReportsAnAnalyzerThatThrows()
        {
            var problems = await ExtensionRunner.RunAsync("class C { }", fixes: false, analyzers: ImmutableArray.Create<DiagnosticAnalyzer>(new ThrowingAnalyzer()));
            Assert.Contains(problems, p => p.Contains(nameof(ThrowingAnalyzer), StringComparison.Ordinal));
        }

        [Fact]
        public async Task AnalyzersAndGeneratorsStopSoonAfterCancellation()
        {
            // A large input: every source file of the project in one compilation.
            var parseOptions = new CSharpParseOptions(LanguageVersion.Preview);
            var trees = CorpusFiles().Select(f => CSharpSyntaxTree.ParseText(f.Text, parseOptions, path: f.Path)).ToList();
            var compilation = CSharpCompilation.Create("Cancelled", trees, CSharpCompilation.Create("x").References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            using var cancellation = new CancellationTokenSource();
            var stopwatch = Stopwatch.StartNew();
            long cancelledAt = 0;

            // A dedicated thread cancels: a timer would need a thread-pool thread, and the parallel tests can
            // starve the pool for seconds, so the cancellation would come late or after the work had finished.
            var canceller = new Thread(() =>
            {
                Thread.Sleep(200);
                Interlocked.Exchange(ref cancelledAt, stopwatch.ElapsedMilliseconds);
                cancellation.Cancel();
            }) { IsBackground = true };
            canceller.Start();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                // The generated files must be parsed with the inputs' language version, or the compilation refuses them.
                CSharpGeneratorDriver.Create(Extensions.All.Generators, parseOptions: parseOptions).RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _, cancellation.Token);
                await generated.WithAnalyzers(Extensions.All.Analyzers).GetAnalyzerDiagnosticsAsync(cancellation.Token);
            });
            long stoppedAt = stopwatch.ElapsedMilliseconds;
            canceller.Join();
            _output.WriteLine($"cancelled {cancelledAt} ms after the start, stopped {stoppedAt} ms after the start");
            Assert.True(stoppedAt - cancelledAt < 10_000, $"took {stoppedAt - cancelledAt} ms to stop after cancellation");
        }

        /// <summary>A long run writes a line every so many inputs, so its progress can be followed while it runs.</summary>
        private const int ProgressEvery = 5000;

        private static void Progress(string line)
        {
            string folder = Path.Combine(RepositoryRoot(), "artifacts");
            Directory.CreateDirectory(folder);
            lock (typeof(FuzzTests))
            {
                File.AppendAllText(Path.Combine(folder, "fuzz-progress.log"), line + Environment.NewLine);
            }
        }

        private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

        /// <summary>The project's own sources, examples and test corpora.</summary>
        private static List<(string Path, string Text)> CorpusFiles()
        {
            string root = RepositoryRoot();
            var files = new[] { "src", "examples", "tests" }
                .Select(d => Path.Combine(root, d))
                .Where(Directory.Exists)
                .SelectMany(d => Directory.EnumerateFiles(d, "*.*", SearchOption.AllDirectories))
                .Where(p => (p.EndsWith(".cs", StringComparison.Ordinal) || p.EndsWith(".cs.txt", StringComparison.Ordinal))
                    && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .OrderBy(p => p, StringComparer.Ordinal);
            return files.Select(p => (Path.GetRelativePath(root, p), File.ReadAllText(p))).ToList();
        }

        private static string RepositoryRoot()
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "LayoutAudit.sln")))
            {
                folder = folder.Parent;
            }

            return folder?.FullName ?? throw new InvalidOperationException("LayoutAudit.sln not found above " + AppContext.BaseDirectory);
        }

        /// <summary>Keeps a failing input under artifacts/fuzz-failures (ignored by git) so it can be replayed.</summary>
        private static string Save(string input)
        {
            string folder = Path.Combine(RepositoryRoot(), "artifacts", "fuzz-failures");
            Directory.CreateDirectory(folder);
            string name = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(input))).Substring(0, 16) + ".cs";
            string path = Path.Combine(folder, name);
            File.WriteAllText(path, input);
            return path;
        }

        /// <summary>Proves the runner can fail: a deliberate exception must be reported.</summary>
        private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
        {
            private static readonly DiagnosticDescriptor s_rule = new("TEST0001", "t", "t", "t", DiagnosticSeverity.Warning, true);

            public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(s_rule);

            public override void Initialize(AnalysisContext context)
            {
                context.EnableConcurrentExecution();
                context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
                context.RegisterSyntaxTreeAction(_ => throw new InvalidOperationException("deliberate"));
            }
        }
    }
}
