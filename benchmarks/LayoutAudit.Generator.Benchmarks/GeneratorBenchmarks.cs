using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LayoutAudit.Generator.Benchmarks
{
    /// <summary>
    /// The [AuditLayout] generator and the name-only floor on the same compilations: a full run over N audited structs,
    /// and the re-run after one edit (inside a method body of a file with no audited type; or one struct's field).
    /// Each iteration's setup, outside the measurement, makes what the measured call gets: for a full run a compilation
    /// of newly parsed files (nothing bound or cached, as in a fresh compiler process); for an edit the compilation
    /// derived from the first run's by replacing one newly parsed file, as the IDE and the compiler derive it.
    /// </summary>
    [MemoryDiagnoser]
    [InvocationCount(1)] // one measured call per iteration setup: an edit is measured once on its own compilation
    public class GeneratorBenchmarks
    {
        private AuditedStructs _project = null!;
        private CSharpCompilation _firstCompilation = null!;
        private GeneratorDriver _auditAfterFirstRun = null!;
        private GeneratorDriver _nameOnlyAfterFirstRun = null!;
        private Compilation _input = null!;

        [Params(1_000, 10_000)]
        public int Structs { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _project = new AuditedStructs(Structs);
            _firstCompilation = _project.NewCompilation();
            _auditAfterFirstRun = Driver(new AuditLayoutGenerator()).RunGenerators(_firstCompilation);
            _nameOnlyAfterFirstRun = Driver(new NameOnlyGenerator()).RunGenerators(_firstCompilation);
            Check(_auditAfterFirstRun);
            Check(_nameOnlyAfterFirstRun);
        }

        [IterationSetup(Targets = new[] { nameof(AuditLayoutFullRun), nameof(NameOnlyFullRun) })]
        public void NewCompilation() => _input = _project.NewCompilation();

        [IterationSetup(Targets = new[] { nameof(AuditLayoutMethodBodyEdit), nameof(NameOnlyMethodBodyEdit) })]
        public void EditMethodBody() => _input = _project.EditMethodBody(_firstCompilation);

        [IterationSetup(Targets = new[] { nameof(AuditLayoutStructFieldEdit), nameof(NameOnlyStructFieldEdit) })]
        public void EditStructField() => _input = _project.EditStructField(_firstCompilation);

        [Benchmark]
        public GeneratorDriver AuditLayoutFullRun() => Driver(new AuditLayoutGenerator()).RunGenerators(_input);

        [Benchmark]
        public GeneratorDriver NameOnlyFullRun() => Driver(new NameOnlyGenerator()).RunGenerators(_input);

        [Benchmark]
        public GeneratorDriver AuditLayoutMethodBodyEdit() => _auditAfterFirstRun.RunGenerators(_input);

        [Benchmark]
        public GeneratorDriver NameOnlyMethodBodyEdit() => _nameOnlyAfterFirstRun.RunGenerators(_input);

        [Benchmark]
        public GeneratorDriver AuditLayoutStructFieldEdit() => _auditAfterFirstRun.RunGenerators(_input);

        [Benchmark]
        public GeneratorDriver NameOnlyStructFieldEdit() => _nameOnlyAfterFirstRun.RunGenerators(_input);

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
