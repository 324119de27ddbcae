using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace LayoutAudit.Allocations.Tests
{
    /// <summary>What a user's net10.0 build compiles against: the SDK's reference pack for the running runtime, read
    /// from disk (no package download), shared by the analyzer tests and the IL proof so both see the same code.</summary>
    internal static class TestReferences
    {
        private static readonly Lazy<IReadOnlyList<MetadataReference>> s_referencePack = new(LoadReferencePack);

        /// <summary>No packages: the references come from <see cref="ReferencePack"/>.</summary>
        public static ReferenceAssemblies None { get; } = new("net10.0");

        public static IReadOnlyList<MetadataReference> ReferencePack => s_referencePack.Value;

        /// <summary>The attribute as tests declare it: the analyzer matches it by metadata name, like the package's own.</summary>
        public const string Attribute = """
            namespace LayoutAudit
            {
                [System.AttributeUsage(System.AttributeTargets.Method | System.AttributeTargets.Constructor | System.AttributeTargets.Property | System.AttributeTargets.Class | System.AttributeTargets.Struct | System.AttributeTargets.Assembly)]
                internal sealed class AuditAllocationsAttribute : System.Attribute
                {
                }
            }
            """;

        private static IReadOnlyList<MetadataReference> LoadReferencePack()
        {
            // <dotnet>/shared/Microsoft.NETCore.App/<version>/ -> <dotnet>/packs/Microsoft.NETCore.App.Ref/<version>/ref/net<major>.<minor>/
            var runtime = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
            string packs = Path.Combine(runtime.Parent!.Parent!.Parent!.FullName, "packs", "Microsoft.NETCore.App.Ref");
            string version = Directory.Exists(Path.Combine(packs, runtime.Name))
                ? runtime.Name
                : Directory.GetDirectories(packs).Select(Path.GetFileName).OrderBy(v => v, StringComparer.Ordinal).Last()!;
            string tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
            return Directory.GetFiles(Path.Combine(packs, version, "ref", tfm), "*.dll")
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToList();
        }
    }
}
