using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace LayoutAudit.Analyzers.Tests
{
    /// <summary>What a user's net10.0 build compiles against: the SDK's own reference pack for the running runtime
    /// (read from disk, so tests need no package download).</summary>
    internal static class TestReferences
    {
        private static readonly Lazy<IReadOnlyList<MetadataReference>> s_referencePack = new(LoadReferencePack);

        /// <summary>No packages: the references come from <see cref="ReferencePack"/>.</summary>
        public static ReferenceAssemblies None { get; } = new("net10.0");

        public static IReadOnlyList<MetadataReference> ReferencePack => s_referencePack.Value;

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

        /// <summary>The LayoutAudit attributes as tests declare them (matched by metadata name, like the package's own).</summary>
        public const string Attributes = """
            namespace LayoutAudit
            {
                [System.AttributeUsage(System.AttributeTargets.Struct | System.AttributeTargets.Class)]
                internal sealed class AuditLayoutAttribute : System.Attribute
                {
                    public int CacheLineSize { get; set; } = 64;
                    public int PaddingBudget { get; set; } = -1;
                    public int MaxSize { get; set; } = -1;
                }

                [System.AttributeUsage(System.AttributeTargets.Method | System.AttributeTargets.Class | System.AttributeTargets.Struct | System.AttributeTargets.Assembly)]
                internal sealed class AuditAllocationsAttribute : System.Attribute
                {
                }

                [System.AttributeUsage(System.AttributeTargets.Field)]
                internal sealed class WrittenByAttribute : System.Attribute
                {
                    public WrittenByAttribute(string writer) => Writer = writer;

                    public string Writer { get; }
                }
            }
            """;
    }

    internal static class AnalyzerVerifier<TAnalyzer>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

        /// <summary>Runs the analyzer over <paramref name="source"/> (plus the attributes) and expects exactly <paramref name="expected"/>.</summary>
        public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => VerifyAsync(source, editorConfig: null, expected);

        public static async Task VerifyAsync(string source, string? editorConfig, params DiagnosticResult[] expected)
        {
            var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
            {
                ReferenceAssemblies = TestReferences.None,
                TestState = { Sources = { source, ("Attributes.cs", TestReferences.Attributes) } },
            };
            test.TestState.AdditionalReferences.AddRange(TestReferences.ReferencePack);
            test.SolutionTransforms.Add(AllowUnsafe);
            if (editorConfig is not null)
            {
                test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\n" + editorConfig));
            }

            test.ExpectedDiagnostics.AddRange(expected);
            await test.RunAsync();
        }

        internal static Solution AllowUnsafe(Solution solution, ProjectId projectId) =>
            solution.WithProjectCompilationOptions(projectId, ((CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true));
    }

    internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        public static CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier> Create(string source, string fixedSource, params DiagnosticResult[] expected)
        {
            var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
            {
                ReferenceAssemblies = TestReferences.None,
                TestState = { Sources = { source, ("Attributes.cs", TestReferences.Attributes) } },
                FixedState = { Sources = { fixedSource, ("Attributes.cs", TestReferences.Attributes) } },
            };
            test.TestState.AdditionalReferences.AddRange(TestReferences.ReferencePack);
            test.SolutionTransforms.Add(AnalyzerVerifier<TAnalyzer>.AllowUnsafe);
            test.ExpectedDiagnostics.AddRange(expected);
            return test;
        }
    }
}
