using System;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LayoutAudit.Engine.Benchmarks
{
    /// <summary>One sequential struct of N fields of mixed sizes, laid out by a fresh engine (nothing cached): the
    /// layout and the best-order search. Doubling N should double time and allocations.</summary>
    [MemoryDiagnoser]
    public class ScalingBenchmarks
    {
        private Compilation _compilation = null!;
        private INamedTypeSymbol _wide = null!;

        [Params(1_000, 2_000, 4_000)]
        public int Fields { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            string[] types = { "byte", "long", "short", "int", "bool", "double" };
            var source = new StringBuilder("public struct Wide {");
            for (int i = 0; i < Fields; i++)
            {
                source.Append(" public ").Append(types[i % types.Length]).Append(" F").Append(i).Append(';');
            }

            source.Append(" }");
            _compilation = CSharpCompilation.Create(
                "Scaling",
                new[] { CSharpSyntaxTree.ParseText(source.ToString()) },
                new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            _wide = _compilation.GetTypeByMetadataName("Wide")!;

            // The best-order search must run, or this would measure only half the work.
            var layout = new LayoutEngine(_compilation).Compute(_wide).Layout;
            if (layout is null || layout.Fields.Count != Fields || !layout.HasSuggestion)
            {
                throw new InvalidOperationException($"expected {Fields} fields and a suggested order, got {layout?.Fields.Count} fields, suggestion {layout?.HasSuggestion}");
            }
        }

        /// <summary>Layout and best-order search with a fresh engine; the compilation has bound the fields already.</summary>
        [Benchmark]
        public int LayOutAndFindTheBestOrder() => new LayoutEngine(_compilation).Compute(_wide).Layout!.SuggestedSize!.Value;
    }
}
