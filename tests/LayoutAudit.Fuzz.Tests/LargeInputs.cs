using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LayoutAudit.Fuzz.Tests
{
    /// <summary>The largest inputs a user can type: wide structs, thousands of audited structs, deep chains and
    /// a method of ten thousand statements. Deterministic, so a failure replays.</summary>
    internal static class LargeInputs
    {
        private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

        public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Preview);

        /// <summary>One sequential struct of <paramref name="fields"/> unmanaged fields of mixed sizes (holes, so the
        /// best-order search has work to do).</summary>
        public static string WideStruct(int fields, string name = "Wide", bool audited = false)
        {
            string[] types = { "byte", "long", "short", "int", "bool", "double" };
            var text = new StringBuilder(audited ? "[LayoutAudit.AuditLayout] " : "").Append("public struct ").Append(name).Append(" {");
            for (int i = 0; i < fields; i++)
            {
                text.Append(" public ").Append(types[i % types.Length]).Append(" F").Append(i).Append(';');
            }

            return text.Append(" }\n").ToString();
        }

        /// <summary><paramref name="count"/> audited structs of three shapes in one file.</summary>
        public static string AnnotatedStructs(int count, string prefix = "S")
        {
            var text = new StringBuilder("using LayoutAudit;\nnamespace Many\n{\n");
            for (int i = 0; i < count; i++)
            {
                string fields = (i % 3) switch
                {
                    0 => "public bool A; public long B; public int C;",
                    1 => "public long B; public int C; public short D; public byte E;",
                    _ => "public string Name; public int Id; public bool Flag; public double Value;",
                };
                text.Append("    [AuditLayout] public struct ").Append(prefix).Append(i).Append(" { ").Append(fields).Append(" }\n");
            }

            return text.Append("}\n").ToString();
        }

        /// <summary>A struct with one field of each of <paramref name="count"/> distinct structs: one layout
        /// call that has to lay out every one of them.</summary>
        public static string StructOfDistinctStructs(int count)
        {
            var text = new StringBuilder("public struct Outer {");
            for (int i = 0; i < count; i++)
            {
                text.Append(" public Part").Append(i).Append(" P").Append(i).Append(';');
            }

            text.Append(" }\n");
            for (int i = 0; i < count; i++)
            {
                text.Append("public struct Part").Append(i).Append(" { public byte A; public long B; public int C; }\n");
            }

            return text.ToString();
        }

        /// <summary>A chain of <paramref name="depth"/> structs, each holding the next.</summary>
        public static string NestedChain(int depth)
        {
            var text = new StringBuilder();
            for (int i = 0; i < depth; i++)
            {
                text.Append("public struct Chain").Append(i).Append(" { public Chain").Append(i + 1).Append(" Inner; public byte B; }\n");
            }

            return text.Append("public struct Chain").Append(depth).Append(" { public int X; }\n").ToString();
        }

        /// <summary>A method of <paramref name="statements"/> statements that copy and pass structs around, so the
        /// allocation and copy analyzers have an operation per statement.</summary>
        public static string LongMethod(int statements)
        {
            var text = new StringBuilder("public struct Big { public long A, B, C, D, E, F, G, H; }\npublic static class Long\n{\n    public static long Run(Big big)\n    {\n        long sum = 0;\n");
            for (int i = 0; i < statements; i++)
            {
                text.Append((i % 4) switch
                {
                    0 => $"        sum += big.A + {i};\n",
                    1 => $"        object boxed{i} = sum;\n",
                    2 => $"        var copy{i} = big; sum += copy{i}.B;\n",
                    _ => $"        sum ^= Take(big) * {i};\n",
                });
            }

            return text.Append("        return sum;\n    }\n\n    private static long Take(Big b) => b.C;\n}\n").ToString();
        }

        public static SyntaxTree Parse(string source, string path = "Input.cs") => CSharpSyntaxTree.ParseText(source, ParseOptions, path);

        public static CSharpCompilation Compilation(params SyntaxTree[] trees) => Compilation((IEnumerable<SyntaxTree>)trees);

        public static CSharpCompilation Compilation(IEnumerable<SyntaxTree> trees) =>
            CSharpCompilation.Create(
                "LargeInput",
                trees,
                s_references.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

        /// <summary>The running framework and the LayoutAudit attributes, as the fuzz runner compiles against.</summary>
        private static ImmutableArray<MetadataReference> LoadReferences()
        {
            string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => string.Equals(Path.GetDirectoryName(p), runtime, StringComparison.Ordinal));
            return framework.Append(typeof(LayoutAudit.AuditLayoutAttribute).Assembly.Location)
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToImmutableArray();
        }
    }
}
