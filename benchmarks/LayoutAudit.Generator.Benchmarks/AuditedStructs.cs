using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LayoutAudit.Generator.Benchmarks
{
    /// <summary>A project of N <c>[AuditLayout]</c> structs, ten to a file, plus one file with no audited type. The
    /// edits: a method body in that file, and one field of the first struct.</summary>
    internal sealed class AuditedStructs
    {
        private const int StructsPerFile = 10;
        private const string PlainFile = "namespace Bench { public static class Helpers { public static int Twice(int x) { return 2 * x; } } }";

        private static readonly Lazy<IReadOnlyList<MetadataReference>> s_references = new(LoadReferences);

        private readonly List<(string Path, string Text)> _files = new();

        public AuditedStructs(int count)
        {
            for (int first = 0; first < count; first += StructsPerFile)
            {
                _files.Add(($"Structs{first}.cs", StructFile(first, Math.Min(StructsPerFile, count - first))));
            }

            _files.Add(("Helpers.cs", PlainFile));
        }

        public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

        /// <summary>A new compilation of newly parsed files: nothing bound or cached yet, as in a fresh compiler process.</summary>
        public CSharpCompilation NewCompilation() =>
            CSharpCompilation.Create(
                "Audited",
                _files.Select(file => Parse(file.Text, file.Path)),
                s_references.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        /// <summary>The compilation after an edit inside the method body of the file with no audited type; each
        /// <paramref name="edit"/> number gives another body.</summary>
        public Compilation EditMethodBody(Compilation compilation, int edit) =>
            Replace(compilation, "Helpers.cs", _ => PlainFile.Replace("return 2 * x;", "return x + " + edit + ";"));

        /// <summary>The compilation after the first struct's first field changes type (bool to long, and back).</summary>
        public Compilation EditStructField(Compilation compilation) =>
            Replace(compilation, "Structs0.cs", text => text.Contains("struct S0 { public bool A;")
                ? ReplaceFirst(text, "struct S0 { public bool A;", "struct S0 { public long A;")
                : ReplaceFirst(text, "struct S0 { public long A;", "struct S0 { public bool A;"));

        private static Compilation Replace(Compilation compilation, string path, Func<string, string> edit)
        {
            var old = compilation.SyntaxTrees.Single(tree => tree.FilePath == path);
            return compilation.ReplaceSyntaxTree(old, Parse(edit(old.ToString()), path));
        }

        private static string ReplaceFirst(string text, string oldValue, string newValue)
        {
            int at = text.IndexOf(oldValue, StringComparison.Ordinal);
            return text.Substring(0, at) + newValue + text.Substring(at + oldValue.Length);
        }

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
