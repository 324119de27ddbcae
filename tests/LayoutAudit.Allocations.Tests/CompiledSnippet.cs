using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace LayoutAudit.Allocations.Tests
{
    /// <summary>A snippet compiled the way a user's Release build compiles it, with its IL and portable PDB.</summary>
    internal sealed class CompiledSnippet
    {
        private CompiledSnippet(CSharpCompilation compilation, byte[] peImage, byte[] pdbImage)
        {
            Compilation = compilation;
            PeImage = peImage;
            PdbImage = pdbImage;
        }

        public CSharpCompilation Compilation { get; }

        public byte[] PeImage { get; }

        public byte[] PdbImage { get; }

        public SyntaxTree Tree => Compilation.SyntaxTrees[0];

        /// <summary>Compiles <paramref name="source"/> (first tree) plus the test attribute; fails on any compile error.</summary>
        public static CompiledSnippet Compile(string source, bool optimize = true)
        {
            var parse = new CSharpParseOptions(LanguageVersion.Latest);
            var compilation = CSharpCompilation.Create(
                "Snippet",
                new[] { CSharpSyntaxTree.ParseText(source, parse, path: "Snippet.cs", encoding: Encoding.UTF8), CSharpSyntaxTree.ParseText(TestReferences.Attribute, parse, path: "Attribute.cs", encoding: Encoding.UTF8) },
                TestReferences.ReferencePack,
                new CSharpCompilationOptions(
                    OutputKind.DynamicallyLinkedLibrary,
                    optimizationLevel: optimize ? OptimizationLevel.Release : OptimizationLevel.Debug,
                    allowUnsafe: true,
                    nullableContextOptions: NullableContextOptions.Enable));
            using var pe = new MemoryStream();
            using var pdb = new MemoryStream();
            var result = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
            if (!result.Success)
            {
                throw new InvalidOperationException("The snippet does not compile:" + Environment.NewLine
                    + string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)) + Environment.NewLine + source);
            }

            return new CompiledSnippet(compilation, pe.ToArray(), pdb.ToArray());
        }
    }
}
