using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LayoutAudit.Generator.Benchmarks
{
    /// <summary>
    /// The [AuditLayout] generator and the name-only floor on the same compilations: a full run over N audited structs,
    /// and the re-run after one edit, either inside a method body of a file with no audited type or to one struct's
    /// field. Each iteration's setup, outside the measurement, makes what the measured call gets: for a full run a
    /// compilation of newly parsed files (nothing bound or cached, as in a fresh compiler process); for an edit, the
    /// previous iteration's compilation with one file replaced by a newly parsed edit of it, run by the previous
    /// iteration's driver, as an IDE runs generators while the user types. An edit iteration measures
    /// <see cref="EditsPerIteration"/> edits in a row, each run on its own compilation: one edit of 1,000 structs takes a
    /// few milliseconds, too short to time alone without the noise of when a collection happens to fall.
    /// </summary>
    [MemoryDiagnoser]
    [InvocationCount(1)] // one measured call per iteration setup: each edit is measured once, on its own compilation
    public class GeneratorBenchmarks
    {
        public const int EditsPerIteration = 8;

        private AuditedStructs _project = null!;
        private Func<IIncrementalGenerator> _generator = null!;
        private GeneratorDriver _driver = null!;
        private Compilation _compilation = null!;
        private Compilation _input = null!;
        private Compilation[] _edited = Array.Empty<Compilation>();
        private int _edits;

        [Params(1_000, 10_000)]
        public int Structs { get; set; }

        [GlobalSetup(Targets = new[] { nameof(AuditLayoutFullRun), nameof(AuditLayoutMethodBodyEdit), nameof(AuditLayoutStructFieldEdit) })]
        public void SetupAuditLayout() => Setup(() => new AuditLayoutGenerator());

        [GlobalSetup(Targets = new[] { nameof(NameOnlyFullRun), nameof(NameOnlyMethodBodyEdit), nameof(NameOnlyStructFieldEdit) })]
        public void SetupNameOnly() => Setup(() => new NameOnlyGenerator());

        [IterationSetup(Targets = new[] { nameof(AuditLayoutFullRun), nameof(NameOnlyFullRun) })]
        public void NewCompilation() => _input = _project.NewCompilation();

        [IterationSetup(Targets = new[] { nameof(AuditLayoutMethodBodyEdit), nameof(NameOnlyMethodBodyEdit) })]
        public void EditMethodBody() => _edited = Edits(previous => _project.EditMethodBody(previous, ++_edits));

        [IterationSetup(Targets = new[] { nameof(AuditLayoutStructFieldEdit), nameof(NameOnlyStructFieldEdit) })]
        public void EditStructField() => _edited = Edits(_project.EditStructField);

        [Benchmark]
        public GeneratorDriver AuditLayoutFullRun() => FullRun();

        [Benchmark]
        public GeneratorDriver NameOnlyFullRun() => FullRun();

        [Benchmark(OperationsPerInvoke = EditsPerIteration)]
        public GeneratorDriver AuditLayoutMethodBodyEdit() => RunAfterEdit();

        [Benchmark(OperationsPerInvoke = EditsPerIteration)]
        public GeneratorDriver NameOnlyMethodBodyEdit() => RunAfterEdit();

        [Benchmark(OperationsPerInvoke = EditsPerIteration)]
        public GeneratorDriver AuditLayoutStructFieldEdit() => RunAfterEdit();

        [Benchmark(OperationsPerInvoke = EditsPerIteration)]
        public GeneratorDriver NameOnlyStructFieldEdit() => RunAfterEdit();

        private void Setup(Func<IIncrementalGenerator> generator)
        {
            _project = new AuditedStructs(Structs);
            _generator = generator;
            _compilation = _project.NewCompilation();
            _driver = NewDriver().RunGenerators(_compilation);

            // A benchmark of a generator that failed or produced nothing would measure nothing.
            var result = _driver.GetRunResult().Results.Single();
            if (result.Exception is not null || result.GeneratedSources.Length != Structs)
            {
                throw new InvalidOperationException($"expected {Structs} generated files, got {result.GeneratedSources.Length}: {result.Exception}");
            }
        }

        private GeneratorDriver FullRun() => NewDriver().RunGenerators(_input);

        private GeneratorDriver RunAfterEdit()
        {
            foreach (var edited in _edited)
            {
                _driver = _driver.RunGenerators(edited);
            }

            _compilation = _edited[_edited.Length - 1];
            return _driver;
        }

        /// <summary>The next compilations, each one edit after the one before.</summary>
        private Compilation[] Edits(Func<Compilation, Compilation> edit)
        {
            var edited = new Compilation[EditsPerIteration];
            var previous = _compilation;
            for (int i = 0; i < edited.Length; i++)
            {
                previous = edited[i] = edit(previous);
            }

            return edited;
        }

        private GeneratorDriver NewDriver() =>
            CSharpGeneratorDriver.Create(new[] { _generator().AsSourceGenerator() }, parseOptions: AuditedStructs.ParseOptions);
    }
}
