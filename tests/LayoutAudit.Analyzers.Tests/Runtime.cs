using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using LayoutAudit.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LayoutAudit.Analyzers.Tests
{
    /// <summary>Builds test sources into a real assembly and measures their types with the runtime inspector, so
    /// that the sizes a diagnostic states are checked against the runtime, not against the engine itself.</summary>
    internal static class Runtime
    {
        private static readonly Lazy<IReadOnlyList<MetadataReference>> s_references = new(() =>
            ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToList());

        /// <summary>Compiles the sources (with the test attributes) and loads the assembly in its own context.</summary>
        public static Assembly Load(params string[] sources)
        {
            var trees = sources.Append(TestReferences.Attributes).Select(s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Preview)));
            var compilation = CSharpCompilation.Create(
                "Measured" + Guid.NewGuid().ToString("N"),
                trees,
                s_references.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
            using var stream = new MemoryStream();
            var emitted = compilation.Emit(stream);
            Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            stream.Position = 0;
            return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(stream);
        }

        public static MeasuredLayout Measure(Assembly assembly, string typeName) =>
            RuntimeLayoutInspector.Measure(assembly.GetType(typeName, throwOnError: true)!);

        public static MeasuredLayout Measure(string source, string typeName) => Measure(Load(source), typeName);

        /// <summary>Bytes of the measured type that no field covers, as the runtime laid it out (for a class, counted
        /// from the end of the method-table pointer to the end of the instance).</summary>
        public static int Padding(MeasuredLayout layout, int pointerSize = 8)
        {
            int start = layout.Category == Core.TypeCategory.Class ? pointerSize : 0;
            int end = layout.Category == Core.TypeCategory.Class ? layout.Size - pointerSize : layout.Size;
            var covered = new bool[Math.Max(0, end)];
            foreach (var field in layout.Fields)
            {
                for (int b = field.Offset; b < field.Offset + field.Size && b < covered.Length; b++)
                {
                    covered[b] = true;
                }
            }

            return covered.Skip(start).Count(c => !c);
        }
    }
}
