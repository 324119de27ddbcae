using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using LayoutAudit.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LayoutAudit.Generator.Tests
{
    /// <summary>Runs the generator the way the compiler does: over a compilation against the SDK's reference pack
    /// and the real LayoutAudit.Attributes assembly.</summary>
    internal static class GeneratorHarness
    {
        private static readonly Lazy<IReadOnlyList<MetadataReference>> s_referencePack = new(LoadReferencePack);

        public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Preview);

        public static MetadataReference Attributes { get; } = MetadataReference.CreateFromFile(typeof(AuditLayoutAttribute).Assembly.Location);

        public static IEnumerable<MetadataReference> References => s_referencePack.Value.Append(Attributes);

        public static CSharpCompilation Compile(string assemblyName, IEnumerable<string> sources, IEnumerable<MetadataReference>? references = null) =>
            CSharpCompilation.Create(
                assemblyName,
                sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"File{i}.cs")),
                references ?? References,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

        public static GeneratorDriver CreateDriver() =>
            CSharpGeneratorDriver.Create(
                new[] { new AuditLayoutGenerator().AsSourceGenerator() },
                parseOptions: ParseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        /// <summary>Runs the generator; returns the compilation with the generated files and every diagnostic
        /// (the generator's and the compiler's).</summary>
        public static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorRunResult Run) Run(CSharpCompilation compilation)
        {
            var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
            var run = driver.GetRunResult().Results.Single();
            Assert.Null(run.Exception);
            return (output, generatorDiagnostics.AddRange(output.GetDiagnostics()), run);
        }

        public static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorRunResult Run) Run(params string[] sources) =>
            Run(Compile("Audited" + Guid.NewGuid().ToString("N"), sources));

        /// <summary>Emits the compilation and loads it in its own collectible context.</summary>
        public static Assembly Load(Compilation compilation)
        {
            using var stream = new MemoryStream();
            var emitted = compilation.Emit(stream);
            Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            stream.Position = 0;
            return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(stream);
        }

        public static string GeneratedText(GeneratorRunResult run, string reflectionName) =>
            run.GeneratedSources.Single(s => s.HintName == LayoutReportEmitter.HintName(reflectionName)).SourceText.ToString();

        private static IReadOnlyList<MetadataReference> LoadReferencePack()
        {
            // <dotnet>/shared/Microsoft.NETCore.App/<version>/ -> <dotnet>/packs/Microsoft.NETCore.App.Ref/<version>/ref/net<major>.<minor>/
            var runtime = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
            string packs = Path.Combine(runtime.Parent!.Parent!.Parent!.FullName, "packs", "Microsoft.NETCore.App.Ref");
            string version = Directory.Exists(Path.Combine(packs, runtime.Name))
                ? runtime.Name
                : Directory.GetDirectories(packs).Select(Path.GetFileName).OrderBy(v => v, StringComparer.Ordinal).Last()!;
            string tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
            return Directory.GetFiles(Path.Combine(packs, version, "ref", tfm), "*.dll")
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToList();
        }
    }
}
