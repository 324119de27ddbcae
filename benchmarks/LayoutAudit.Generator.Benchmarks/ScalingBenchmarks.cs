using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LayoutAudit.Generator.Benchmarks
{
    /// <summary>A full [AuditLayout] generator run over N audited structs, each iteration on a compilation of newly
    /// parsed files (as in a fresh compiler process). Doubling N should double time and allocations.</summary>
    [MemoryDiagnoser]
    [InvocationCount(1)] // one measured run per newly parsed compilation
    public class ScalingBenchmarks
    {
        private AuditedStructs _project = null!;
        private Compilation _input = null!;

        [Params(500, 1_000, 2_000)]
        public int Structs { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _project = new AuditedStructs(Structs);
            var result = Run(_project.NewCompilation()).GetRunResult().Results.Single();
            if (result.Exception is not null || result.GeneratedSources.Length != Structs)
            {
                throw new InvalidOperationException($"expected {Structs} generated files, got {result.GeneratedSources.Length}: {result.Exception}");
            }
        }

        [IterationSetup]
        public void NewCompilation() => _input = _project.NewCompilation();

        [Benchmark]
        public GeneratorDriver FullRun() => Run(_input);

        private static GeneratorDriver Run(Compilation compilation) =>
            CSharpGeneratorDriver.Create(new[] { new AuditLayoutGenerator().AsSourceGenerator() }, parseOptions: AuditedStructs.ParseOptions).RunGenerators(compilation);
    }
}
