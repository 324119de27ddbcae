using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LayoutAudit.Allocations.Tests
{
    /// <summary>Runs analyzers the way the compiler does (<see cref="CompilationWithAnalyzers"/>) and returns what they
    /// report, failing on any analyzer exception (AD0001). For tests that check where findings land, not their text.</summary>
    internal static class Findings
    {
        /// <summary>The source text each finding of <typeparamref name="TAnalyzer"/> points at, in source order.</summary>
        public static async Task<IReadOnlyList<string>> AtAsync<TAnalyzer>(string source, IReadOnlyDictionary<string, string>? options = null)
            where TAnalyzer : DiagnosticAnalyzer, new()
        {
            var diagnostics = await RunAsync(ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer()), Verify<TAnalyzer>.Usings + source, requireValidCode: true, options);
            return diagnostics.OrderBy(d => d.Location.SourceSpan.Start).Select(d => d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan)).ToList();
        }

        public static async Task<ImmutableArray<Diagnostic>> RunAsync(ImmutableArray<DiagnosticAnalyzer> analyzers, string source, bool requireValidCode, IReadOnlyDictionary<string, string>? options = null, bool enableOffByDefault = true)
        {
            var parse = new CSharpParseOptions(LanguageVersion.Latest);
            var compilation = CSharpCompilation.Create(
                "Analyzed",
                new[] { CSharpSyntaxTree.ParseText(source, parse, "Source.cs", Encoding.UTF8), CSharpSyntaxTree.ParseText(TestReferences.Attribute, parse, "Attribute.cs", Encoding.UTF8) },
                TestReferences.ReferencePack,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                    .WithSpecificDiagnosticOptions(enableOffByDefault ? new Dictionary<string, ReportDiagnostic> { [ExplicitAllocationAnalyzer.Id] = ReportDiagnostic.Info } : new Dictionary<string, ReportDiagnostic>()));
            if (requireValidCode)
            {
                var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (errors.Count > 0)
                {
                    throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
                }
            }

            var exceptions = new List<string>();
            var analyzerOptions = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new ConfigOptions(options ?? new Dictionary<string, string>()));
            var withAnalyzers = compilation.WithAnalyzers(
                analyzers,
                new CompilationWithAnalyzersOptions(analyzerOptions, (exception, analyzer, _) => exceptions.Add(analyzer.GetType().Name + ": " + exception), concurrentAnalysis: true, logAnalyzerExecutionTime: false));
            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
            var failures = exceptions.Concat(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage())).ToList();
            if (failures.Count > 0)
            {
                throw new InvalidOperationException("An analyzer threw (AD0001):" + Environment.NewLine + string.Join(Environment.NewLine, failures));
            }

            return diagnostics;
        }

        /// <summary>The same options for every file and as global options: what a .editorconfig section [*] or a global config sets.</summary>
        private sealed class ConfigOptions : AnalyzerConfigOptionsProvider
        {
            private readonly Options _options;

            public ConfigOptions(IReadOnlyDictionary<string, string> values) => _options = new Options(values);

            public override AnalyzerConfigOptions GlobalOptions => _options;

            public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

            public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

            private sealed class Options : AnalyzerConfigOptions
            {
                private readonly IReadOnlyDictionary<string, string> _values;

                public Options(IReadOnlyDictionary<string, string> values) => _values = values;

                public override bool TryGetValue(string key, out string value)
                {
                    bool found = _values.TryGetValue(key, out var text);
                    value = text ?? "";
                    return found;
                }
            }
        }
    }
}
