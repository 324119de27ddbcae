using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace LayoutAudit.Fuzz.Tests
{
    /// <summary>Runs, on one input, what an IDE runs: generators, then analyzers over the compilation with the
    /// generated sources, then every code fix and Fix All for each diagnostic in user code. Returns what went wrong.</summary>
    internal static class ExtensionRunner
    {
        /// <summary>Longer than any input needs; past it the run counts as a hang.</summary>
        public static readonly TimeSpan StageLimit = TimeSpan.FromSeconds(60);

        /// <summary>Time spent in each stage over all inputs, in stopwatch ticks: where a fuzz run's time goes.</summary>
        public static long GeneratorTicks, AnalyzerTicks, FixTicks;

        private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

        /// <summary>Every option on: all rules run, whatever their scope.</summary>
        private static readonly ImmutableDictionary<string, string> s_options = new Dictionary<string, string>
        {
            ["layout_audit.allocation_scope"] = "all",
            ["layout_audit.LA0001.all_sequential_structs"] = "true",
            ["layout_audit.LA0004.threshold"] = "8",
        }.ToImmutableDictionary();

        public static async Task<List<string>> RunAsync(string source, bool fixes = true, ImmutableArray<DiagnosticAnalyzer>? analyzers = null)
        {
            var failures = new List<string>();
            var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview), path: "Input.cs");
            var compilation = CSharpCompilation.Create(
                "FuzzInput",
                new[] { tree },
                s_references.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

            // 1. Generators.
            long start = Stopwatch.GetTimestamp();
            using (var limit = new CancellationTokenSource(StageLimit))
            {
                try
                {
                    var driver = CSharpGeneratorDriver.Create(Extensions.All.Generators, parseOptions: (CSharpParseOptions)tree.Options)
                        .RunGeneratorsAndUpdateCompilation(compilation, out var withGenerated, out _, limit.Token);
                    foreach (var result in driver.GetRunResult().Results.Where(r => r.Exception is not null))
                    {
                        failures.Add($"generator {result.Generator.GetGeneratorType().Name} threw {result.Exception}");
                    }

                    compilation = (CSharpCompilation)withGenerated;
                }
                catch (OperationCanceledException) when (limit.IsCancellationRequested)
                {
                    failures.Add($"generators ran past {StageLimit.TotalSeconds} s");
                    return failures;
                }
            }

            Interlocked.Add(ref GeneratorTicks, Stopwatch.GetTimestamp() - start);
            start = Stopwatch.GetTimestamp();

            // 2. Analyzers over the compilation with the generated sources.
            ImmutableArray<Diagnostic> diagnostics;
            var thrown = new List<string>();
            using (var limit = new CancellationTokenSource(StageLimit))
            {
                var options = new CompilationWithAnalyzersOptions(
                    new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new EveryFileOptions(s_options)),
                    onAnalyzerException: (e, analyzer, _) => { lock (thrown) { thrown.Add($"analyzer {analyzer.GetType().Name} threw {e}"); } },
                    concurrentAnalysis: false,
                    logAnalyzerExecutionTime: false);
                try
                {
                    diagnostics = await compilation.WithAnalyzers(analyzers ?? Extensions.All.Analyzers, options).GetAnalyzerDiagnosticsAsync(limit.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (limit.IsCancellationRequested)
                {
                    failures.Add($"analyzers ran past {StageLimit.TotalSeconds} s");
                    return failures;
                }
            }

            Interlocked.Add(ref AnalyzerTicks, Stopwatch.GetTimestamp() - start);
            start = Stopwatch.GetTimestamp();
            failures.AddRange(thrown);
            failures.AddRange(diagnostics.Where(d => d.Id == "AD0001").Select(d => "AD0001: " + d.GetMessage()));
            if (!fixes)
            {
                return failures;
            }

            // 3. Every code fix and Fix All on the diagnostics in user code.
            var userDiagnostics = diagnostics.Where(d => d.Location.SourceTree == tree && d.Id != "AD0001").Take(4).ToList();
            foreach (var diagnostic in userDiagnostics)
            {
                foreach (var provider in Extensions.All.Fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
                {
                    try
                    {
                        using var limit = new CancellationTokenSource(StageLimit);
                        await ApplyFixesAsync(provider, source, diagnostic, userDiagnostics, limit.Token).ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        failures.Add($"code fix {provider.GetType().Name} on {diagnostic.Id} threw {e}");
                    }
                }
            }

            Interlocked.Add(ref FixTicks, Stopwatch.GetTimestamp() - start);
            return failures;
        }

        private static async Task ApplyFixesAsync(CodeFixProvider provider, string source, Diagnostic diagnostic, List<Diagnostic> all, CancellationToken cancellationToken)
        {
            using var workspace = new AdhocWorkspace();
            var project = workspace.AddProject(ProjectInfo.Create(
                ProjectId.CreateNewId(),
                VersionStamp.Default,
                "FuzzInput",
                "FuzzInput",
                LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true),
                parseOptions: new CSharpParseOptions(LanguageVersion.Preview),
                metadataReferences: s_references.Value));
            var document = workspace.AddDocument(project.Id, "Input.cs", SourceText.From(source));

            // As in an IDE, the diagnostics a fix sees belong to the document's own syntax tree.
            var tree = (await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false))!;
            Diagnostic Relocate(Diagnostic d) => Diagnostic.Create(d.Descriptor, Location.Create(tree, d.Location.SourceSpan), d.Properties);
            diagnostic = Relocate(diagnostic);
            all = all.Select(Relocate).ToList();

            var actions = new List<CodeAction>();
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
            await provider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
            foreach (var action in Flatten(actions))
            {
                foreach (var operation in await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (operation is ApplyChangesOperation change)
                    {
                        _ = await change.ChangedSolution.GetDocument(document.Id)!.GetTextAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                if (provider.GetFixAllProvider() is { } fixAll)
                {
                    var fixAllContext = new FixAllContext(document, provider, FixAllScope.Document, action.EquivalenceKey, new[] { diagnostic.Id }, new FixedDiagnostics(all), cancellationToken);
                    if (await fixAll.GetFixAsync(fixAllContext).ConfigureAwait(false) is { } fixAllAction)
                    {
                        _ = await fixAllAction.GetOperationsAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        private static IEnumerable<CodeAction> Flatten(IEnumerable<CodeAction> actions) =>
            actions.SelectMany(a => a.NestedActions.IsDefaultOrEmpty ? new[] { a } : Flatten(a.NestedActions));

        private static ImmutableArray<MetadataReference> LoadReferences()
        {
            string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => string.Equals(Path.GetDirectoryName(p), runtime, StringComparison.Ordinal));
            string attributes = typeof(LayoutAudit.AuditLayoutAttribute).Assembly.Location;
            return framework.Append(attributes).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
        }

        private sealed class EveryFileOptions : AnalyzerConfigOptionsProvider
        {
            private readonly Options _options;

            public EveryFileOptions(ImmutableDictionary<string, string> values) => _options = new Options(values);

            public override AnalyzerConfigOptions GlobalOptions => _options;

            public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

            public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

            private sealed class Options : AnalyzerConfigOptions
            {
                private readonly ImmutableDictionary<string, string> _values;

                public Options(ImmutableDictionary<string, string> values) => _values = values;

                public override bool TryGetValue(string key, out string value) => _values.TryGetValue(key, out value!);
            }
        }

        private sealed class FixedDiagnostics : FixAllContext.DiagnosticProvider
        {
            private readonly List<Diagnostic> _diagnostics;

            public FixedDiagnostics(List<Diagnostic> diagnostics) => _diagnostics = diagnostics;

            public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

            public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

            public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(Array.Empty<Diagnostic>());
        }
    }
}
