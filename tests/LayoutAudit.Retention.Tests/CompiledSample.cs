using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LayoutAudit.Retention.Tests
{
    /// <summary>Compiles a sample with optimizations (as a user's Release build) and runs one of its static methods,
    /// so that a rule's claim about memory is shown by the runtime itself, not argued.</summary>
    internal static class CompiledSample
    {
        private static readonly Lazy<IReadOnlyList<MetadataReference>> s_references = new(() =>
            ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToList());

        public static IReadOnlyList<MetadataReference> References => s_references.Value;

        /// <summary>Compiles <paramref name="source"/> and returns what <c>typeName.methodName()</c> returns.</summary>
        public static T Run<T>(string source, string typeName, string methodName)
        {
            var compilation = CSharpCompilation.Create(
                "Sample" + Guid.NewGuid().ToString("N"),
                new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview)) },
                References,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
            using var image = new MemoryStream();
            var emitted = compilation.Emit(image);
            Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            image.Position = 0;
            var context = new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true);
            try
            {
                var assembly = context.LoadFromStream(image);
                var method = assembly.GetType(typeName, throwOnError: true)!.GetMethod(methodName, BindingFlags.Public | BindingFlags.Static)!;
                return (T)method.Invoke(null, null)!;
            }
            finally
            {
                context.Unload();
            }
        }
    }
}
