using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LayoutAudit.Generator.Benchmarks
{
    /// <summary>A project of N <c>[AuditLayout]</c> structs, ten to a file, plus one file with no audited type whose
    /// method body the edit benchmarks change.</summary>
    internal sealed class AuditedStructs
    {
        private const int StructsPerFile = 10;
        private const string PlainFile = "namespace Bench { public static class Helpers { public static int Twice(int x) { return 2 * x; } } }";

        private static readonly Lazy<IReadOnlyList<MetadataReference>> s_references = new(LoadReferences);

        public AuditedStructs(int count)
        {
            var trees = new List<SyntaxTree>();
            for (int first = 0; first < count; first += StructsPerFile)
            {
                trees.Add(Parse(StructFile(first, Math.Min(StructsPerFile, count - first)), $"Structs{first}.cs"));
            }

            PlainTree = Parse(PlainFile, "Helpers.cs");
            EditedPlainTree = Parse(PlainFile.Replace("return 2 * x;", "int y = x; return y + x;"), "Helpers.cs");
            trees.Add(PlainTree);
            Trees = trees;
        }

        public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

        public IReadOnlyList<SyntaxTree> Trees { get; }

        public SyntaxTree PlainTree { get; }

        public SyntaxTree EditedPlainTree { get; }

        /// <summary>A new compilation of the project: no symbol bound yet, as in a fresh compiler run.</summary>
        public CSharpCompilation NewCompilation() =>
            CSharpCompilation.Create("Audited", Trees, s_references.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        /// <summary>Structs of three field shapes, so that some have holes and a suggestion and some do not.</summary>
        private static string StructFile(int first, int count)
        {
            var text = new StringBuilder("using LayoutAudit;\nnamespace Bench\n{\n");
            for (int i = first; i < first + count; i++)
            {
                string fields = (i % 3) switch
                {
                    0 => "public bool A; public long B; public int C;",
                    1 => "public long B; public int C; public short D; public byte E;",
                    _ => "public string Name; public int Id; public bool Flag; public double Value;",
                };
                text.Append("    [AuditLayout] public struct S").Append(i).Append(" { ").Append(fields)
                    .Append(" public int Sum() { return ").Append(i).Append("; } }\n");
            }

            return text.Append("}\n").ToString();
        }

        private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path);

        /// <summary>The running runtime's reference pack and the LayoutAudit attributes, as a real project compiles against.</summary>
        private static IReadOnlyList<MetadataReference> LoadReferences()
        {
            // <dotnet>/shared/Microsoft.NETCore.App/<version>/ -> <dotnet>/packs/Microsoft.NETCore.App.Ref/<version>/ref/net<major>.<minor>/
            var runtime = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
            string packs = Path.Combine(runtime.Parent!.Parent!.Parent!.FullName, "packs", "Microsoft.NETCore.App.Ref");
            string version = Directory.Exists(Path.Combine(packs, runtime.Name))
                ? runtime.Name
                : Directory.GetDirectories(packs).Select(Path.GetFileName).OrderBy(v => v, StringComparer.Ordinal).Last()!;
            string tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
            return Directory.GetFiles(Path.Combine(packs, version, "ref", tfm), "*.dll")
                .Append(typeof(AuditLayoutAttribute).Assembly.Location)
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
                .ToList();
        }
    }
}
