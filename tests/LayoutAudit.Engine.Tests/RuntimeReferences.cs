using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LayoutAudit.Engine.Tests
{
    /// <summary>Compilations over the running runtime's own implementation assemblies, so that what the engine
    /// reads is exactly what the runtime loads.</summary>
    internal static class RuntimeReferences
    {
        private static readonly Lazy<IReadOnlyList<PortableExecutableReference>> s_references = new(Load);
        private static readonly Lazy<IReadOnlyList<PortableExecutableReference>> s_referencePack = new(LoadReferencePack);

        public static string RuntimeDirectory => Path.GetDirectoryName(typeof(object).Assembly.Location)!;

        public static IReadOnlyList<PortableExecutableReference> All => s_references.Value;

        /// <summary>The SDK's reference pack for the running runtime's version: what a user's build compiles against.</summary>
        public static IReadOnlyList<PortableExecutableReference> ReferencePack => s_referencePack.Value;

        public static CSharpCompilation CreateCompilation(string assemblyName, IEnumerable<SyntaxTree> trees, MetadataImportOptions import = MetadataImportOptions.Public, Platform platform = Platform.AnyCpu) =>
            CSharpCompilation.Create(
                assemblyName,
                trees,
                All,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable, platform: platform)
                    .WithMetadataImportOptions(import));

        private static IReadOnlyList<PortableExecutableReference> LoadReferencePack()
        {
            // <dotnet>/shared/Microsoft.NETCore.App/<version>/ -> <dotnet>/packs/Microsoft.NETCore.App.Ref/<version>/ref/net<major>.<minor>/
            var runtime = new DirectoryInfo(RuntimeDirectory);
            string dotnetRoot = runtime.Parent!.Parent!.Parent!.FullName;
            string packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
            string version = Directory.Exists(Path.Combine(packs, runtime.Name))
                ? runtime.Name
                : Directory.GetDirectories(packs).Select(Path.GetFileName).OrderBy(v => v, StringComparer.Ordinal).Last()!;
            string tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
            return Directory.GetFiles(Path.Combine(packs, version, "ref", tfm), "*.dll")
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(p => MetadataReference.CreateFromFile(p))
                .ToList();
        }

        private static IReadOnlyList<PortableExecutableReference> Load()
        {
            var references = new List<PortableExecutableReference>();
            foreach (string path in Directory.GetFiles(RuntimeDirectory, "*.dll").OrderBy(p => p, StringComparer.Ordinal))
            {
                using var stream = File.OpenRead(path);
                using var pe = new PEReader(stream);
                if (pe.HasMetadata && pe.GetMetadataReader().IsAssembly)
                {
                    references.Add(MetadataReference.CreateFromFile(path));
                }
            }

            return references;
        }
    }
}
