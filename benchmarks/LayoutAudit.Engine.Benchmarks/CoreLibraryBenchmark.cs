using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LayoutAudit.Engine.Benchmarks
{
    /// <summary>Predicts every non-generic struct and class of System.Private.CoreLib with a fresh engine (no
    /// cached layouts), as a first build would.</summary>
    [MemoryDiagnoser]
    public class CoreLibraryBenchmark
    {
        private List<INamedTypeSymbol> _types = new();
        private Compilation _compilation = null!;

        [GlobalSetup]
        public void Setup()
        {
            string coreLibrary = typeof(object).Assembly.Location;
            _compilation = CSharpCompilation.Create(
                "Benchmark",
                references: new[] { MetadataReference.CreateFromFile(coreLibrary) },
                options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary).WithMetadataImportOptions(MetadataImportOptions.All));
            var assembly = (IAssemblySymbol)_compilation.GetAssemblyOrModuleSymbol(_compilation.References.Single())!;
            _types = AllTypes(assembly.GlobalNamespace)
                .Where(t => t.Arity == 0 && t.TypeKind is TypeKind.Struct or TypeKind.Class && !t.IsStatic && !IsInsideGeneric(t))
                .ToList();
        }

        [Benchmark]
        public int PredictEveryCoreLibraryType()
        {
            var engine = new LayoutEngine(_compilation);
            int laidOut = 0;
            foreach (var type in _types)
            {
                if (engine.Compute(type).IsSuccess)
                {
                    laidOut++;
                }
            }

            return laidOut;
        }

        /// <summary>Everything from scratch: open CoreLib's file, make a compilation, walk its symbols, predict.</summary>
        [Benchmark]
        public int ColdReadWalkAndPredict()
        {
            var compilation = CSharpCompilation.Create(
                "Cold",
                references: new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
                options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary).WithMetadataImportOptions(MetadataImportOptions.All));
            var assembly = (IAssemblySymbol)compilation.GetAssemblyOrModuleSymbol(compilation.References.Single())!;
            var engine = new LayoutEngine(compilation);
            int laidOut = 0;
            foreach (var type in AllTypes(assembly.GlobalNamespace))
            {
                if (type.Arity == 0 && type.TypeKind is TypeKind.Struct or TypeKind.Class && !type.IsStatic && !IsInsideGeneric(type) && engine.Compute(type).IsSuccess)
                {
                    laidOut++;
                }
            }

            return laidOut;
        }

        private static bool IsInsideGeneric(INamedTypeSymbol type) => type.ContainingType is { } outer && (outer.Arity > 0 || IsInsideGeneric(outer));

        private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceOrTypeSymbol container)
        {
            foreach (var member in container.GetMembers())
            {
                if (member is INamespaceSymbol ns)
                {
                    foreach (var type in AllTypes(ns))
                    {
                        yield return type;
                    }
                }
                else if (member is INamedTypeSymbol type)
                {
                    yield return type;
                    foreach (var nested in AllTypes(type))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }
}
