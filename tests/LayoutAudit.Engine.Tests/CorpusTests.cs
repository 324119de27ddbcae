using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace LayoutAudit.Engine.Tests
{
    /// <summary>The hand-written table of tricky types (Corpus/*.cs.txt): compiled, loaded and measured; the engine
    /// must agree with the runtime on every one, reading the types from source and from the built assembly alike.</summary>
    public sealed class CorpusTests
    {
        private static readonly Lazy<CompiledCorpus> s_corpus = new(CompiledCorpus.Build);
        private readonly ITestOutputHelper _output;

        public CorpusTests(ITestOutputHelper output) => _output = output;

        public static IEnumerable<object[]> Families() => CompiledCorpus.ResourceNames().Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(Families))]
        public void PredictionsFromSourceMatchTheRuntime(string family)
        {
            var corpus = s_corpus.Value;
            var engine = new LayoutEngine(corpus.Compilation);
            var checks = corpus.TypesOf(family, corpus.Compilation.Assembly).Select(t => Oracle.Verify(engine, t, corpus.Assembly)).ToList();
            Report(family, checks);
        }

        [Theory]
        [MemberData(nameof(Families))]
        public void PredictionsFromMetadataMatchTheRuntime(string family)
        {
            var corpus = s_corpus.Value;
            var compilation = RuntimeReferences.CreateCompilation("CorpusReader", Array.Empty<SyntaxTree>(), MetadataImportOptions.All)
                .AddReferences(MetadataReference.CreateFromImage(corpus.Image));
            var assembly = compilation.References.Select(compilation.GetAssemblyOrModuleSymbol).OfType<IAssemblySymbol>().Single(a => a.Name == CompiledCorpus.AssemblyName);
            var engine = new LayoutEngine(compilation);
            var checks = corpus.TypesOf(family, assembly).Select(t => Oracle.Verify(engine, t, corpus.Assembly)).ToList();
            Report(family, checks);
        }

        /// <summary>What a user's build sees: the framework only through reference assemblies, whose private fields
        /// are placeholders. The engine must still give the runtime's layout.</summary>
        [Theory]
        [MemberData(nameof(Families))]
        public void PredictionsThroughReferenceAssembliesMatchTheRuntime(string family)
        {
            var corpus = s_corpus.Value;
            var compilation = CSharpCompilation.Create(
                "ThroughReferenceAssemblies",
                corpus.Compilation.SyntaxTrees,
                RuntimeReferences.ReferencePack,
                corpus.Compilation.Options);
            var engine = new LayoutEngine(compilation);
            var checks = corpus.TypesOf(family, compilation.Assembly).Select(t => Oracle.Verify(engine, t, corpus.Assembly)).ToList();
            Report(family, checks);
        }

        [Fact]
        public void TheCorpusHoldsAtLeast150TypesAndEveryOneIsCompared()
        {
            var corpus = s_corpus.Value;
            var engine = new LayoutEngine(corpus.Compilation);
            var checks = CompiledCorpus.ResourceNames().SelectMany(f => corpus.TypesOf(f, corpus.Compilation.Assembly)).Select(t => Oracle.Verify(engine, t, corpus.Assembly)).ToList();
            _output.WriteLine(Oracle.Summarize(checks));
            Assert.True(checks.Count(c => c.Verdict == Verdict.Agree) >= 150, Oracle.Summarize(checks));
        }

        private void Report(string family, List<Check> checks)
        {
            _output.WriteLine(family + ": " + Oracle.Summarize(checks));
            Assert.NotEmpty(checks);
            Assert.True(checks.All(c => c.Verdict != Verdict.Differ), family + ": " + Oracle.Summarize(checks));
        }

        private sealed class CompiledCorpus
        {
            public const string AssemblyName = "LayoutAudit.Corpus";

            private CompiledCorpus(CSharpCompilation compilation, byte[] image, Assembly assembly)
            {
                Compilation = compilation;
                Image = image;
                Assembly = assembly;
            }

            public CSharpCompilation Compilation { get; }

            public byte[] Image { get; }

            public Assembly Assembly { get; }

            public static IEnumerable<string> ResourceNames() =>
                typeof(CorpusTests).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("Corpus.", StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal);

            public static CompiledCorpus Build()
            {
                var trees = ResourceNames().Select(name =>
                {
                    using var reader = new StreamReader(typeof(CorpusTests).Assembly.GetManifestResourceStream(name)!);
                    return CSharpSyntaxTree.ParseText(reader.ReadToEnd(), new CSharpParseOptions(LanguageVersion.Preview), path: name);
                }).ToList();
                var compilation = RuntimeReferences.CreateCompilation(AssemblyName, trees);
                using var stream = new MemoryStream();
                var emitted = compilation.Emit(stream);
                Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
                var image = stream.ToArray();
                var assembly = new AssemblyLoadContext("corpus").LoadFromStream(new MemoryStream(image));
                return new CompiledCorpus(compilation, image, assembly);
            }

            /// <summary>The measurable types a corpus file declares: non-generic structs and classes, not compiler-generated.</summary>
            public IEnumerable<INamedTypeSymbol> TypesOf(string resourceName, IAssemblySymbol assembly)
            {
                var tree = Compilation.SyntaxTrees.Single(t => t.FilePath == resourceName);
                var declared = new HashSet<string>(StringComparer.Ordinal);
                var model = Compilation.GetSemanticModel(tree);
                // Types are matched by name, so the same list serves compilations over other references.
                foreach (var node in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax>())
                {
                    if (model.GetDeclaredSymbol(node) is INamedTypeSymbol symbol)
                    {
                        declared.Add(TypeNames.Reflection(symbol));
                    }
                }

                return FrameworkTypeTests.AllTypes(assembly.GlobalNamespace)
                    .Where(t => declared.Contains(TypeNames.Reflection(t)) && t.Arity == 0 && !InsideGeneric(t) && !t.IsStatic && t.TypeKind is TypeKind.Struct or TypeKind.Class)
                    .OrderBy(t => TypeNames.Reflection(t), StringComparer.Ordinal);
            }

            private static bool InsideGeneric(INamedTypeSymbol type) => type.ContainingType is { } outer && (outer.Arity > 0 || InsideGeneric(outer));
        }
    }
}
