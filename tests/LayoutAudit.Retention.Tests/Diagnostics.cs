using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace LayoutAudit.Retention.Tests
{
    /// <summary>Runs analyzers the way the compiler does (<see cref="CompilationWithAnalyzers"/>), failing on any
    /// exception an analyzer throws (which users would see as AD0001).</summary>
    internal static class Diagnostics
    {
        public static ImmutableArray<DiagnosticAnalyzer> AllRules { get; } = ImmutableArray.Create<DiagnosticAnalyzer>(
            new SubSliceRetentionAnalyzer(),
            new StaleSpanAnalyzer(),
            new PooledArrayClearAnalyzer(),
            new StaleTailAnalyzer(),
            new LongLivedCaptureAnalyzer(),
            new MissingCapacityAnalyzer());

        /// <summary>The analyzers' diagnostics over <paramref name="sources"/>; with <paramref name="requireValidCode"/>
        /// false the sources may be broken or half-typed.</summary>
        public static Task<ImmutableArray<Diagnostic>> RunAsync(ImmutableArray<DiagnosticAnalyzer> analyzers, IEnumerable<string> sources, bool requireValidCode) =>
            RunAsync(analyzers, sources.Select((s, i) => ($"Source{i}.cs", s)), requireValidCode, reportSuppressed: false);

        /// <summary>As above, for named files; with <paramref name="reportSuppressed"/> the diagnostics that
        /// <c>#pragma warning disable</c> hides are returned too (marked as suppressed).</summary>
        public static async Task<ImmutableArray<Diagnostic>> RunAsync(ImmutableArray<DiagnosticAnalyzer> analyzers, IEnumerable<(string Path, string Text)> files, bool requireValidCode, bool reportSuppressed)
        {
            var trees = files.Select(file => CSharpSyntaxTree.ParseText(file.Text, new CSharpParseOptions(LanguageVersion.Preview), path: file.Path));
            var compilation = CSharpCompilation.Create(
                "Analyzed",
                trees,
                CompiledSample.References,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
            if (requireValidCode)
            {
                var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
            }

            var exceptions = new List<string>();
            var withAnalyzers = compilation.WithAnalyzers(
                analyzers,
                new CompilationWithAnalyzersOptions(
                    new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                    onAnalyzerException: (exception, analyzer, _) => exceptions.Add($"{analyzer.GetType().Name}: {exception}"),
                    concurrentAnalysis: true,
                    logAnalyzerExecutionTime: false,
                    reportSuppressedDiagnostics: reportSuppressed));
            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
            var ad0001 = diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage()).ToList();
            Assert.True(exceptions.Count == 0 && ad0001.Count == 0, string.Join(Environment.NewLine, exceptions.Concat(ad0001)));
            return diagnostics;
        }
    }
}
