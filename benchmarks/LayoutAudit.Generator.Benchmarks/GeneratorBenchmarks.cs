using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LayoutAudit.Generator.Benchmarks
{
    /// <summary>
    /// A full generator run over N audited structs, and the re-run after an edit to a method body in a file with no
    /// audited type, for the [AuditLayout] generator and for the name-only floor, on the same compilations. Every
    /// invocation gets a new compilation (no symbol bound yet), as the compiler and the IDE do after each change;
    /// creating it is in every figure and costs the same for both generators.
    /// </summary>
    [MemoryDiagnoser]
    public class GeneratorBenchmarks
    {
        private AuditedStructs _project = null!;
        private CSharpCompilation _compiled = null!;
        private GeneratorDriver _auditAfterFirstRun = null!;
        private GeneratorDriver _nameOnlyAfterFirstRun = null!;

        [Params(1_000, 10_000)]
        public int Structs { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _project = new AuditedStructs(Structs);
            _compiled = _project.NewCompilation();
            _auditAfterFirstRun = Driver(new AuditLayoutGenerator()).RunGenerators(_compiled);
            _nameOnlyAfterFirstRun = Driver(new NameOnlyGenerator()).RunGenerators(_compiled);
            Check(_auditAfterFirstRun);
            Check(_nameOnlyAfterFirstRun);
        }

        [Benchmark]
        public GeneratorDriver AuditLayoutFullRun() => Driver(new AuditLayoutGenerator()).RunGenerators(_project.NewCompilation());

        [Benchmark]
        public GeneratorDriver NameOnlyFullRun() => Driver(new NameOnlyGenerator()).RunGenerators(_project.NewCompilation());

        [Benchmark]
        public GeneratorDriver AuditLayoutEdit() => _auditAfterFirstRun.RunGenerators(Edited());

        [Benchmark]
        public GeneratorDriver NameOnlyEdit() => _nameOnlyAfterFirstRun.RunGenerators(Edited());

        /// <summary>The compilation after the edit: a new one, derived from the compiled one as the compiler derives it.</summary>
        private Compilation Edited() => _compiled.ReplaceSyntaxTree(_project.PlainTree, _project.EditedPlainTree);

        private static GeneratorDriver Driver(IIncrementalGenerator generator) =>
            CSharpGeneratorDriver.Create(new[] { generator.AsSourceGenerator() }, parseOptions: AuditedStructs.ParseOptions);

        /// <summary>A benchmark of a generator that failed or produced nothing would measure nothing.</summary>
        private void Check(GeneratorDriver driver)
        {
            var result = driver.GetRunResult().Results.Single();
            if (result.Exception is not null || result.GeneratedSources.Length != Structs)
            {
                throw new System.InvalidOperationException($"expected {Structs} generated files, got {result.GeneratedSources.Length}: {result.Exception}");
            }
        }
    }
}
