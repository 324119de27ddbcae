using System.IO;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace LayoutAudit.Retention.Tests
{
    /// <summary>The reference assemblies a user's net10.0 project compiles against.</summary>
    internal static class TestReferences
    {
        public static ReferenceAssemblies Net10 { get; } = new("net10.0", new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.12"), Path.Combine("ref", "net10.0"));
    }

    internal static class AnalyzerVerifier<TAnalyzer>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public static DiagnosticResult Diagnostic() => new(new TAnalyzer().SupportedDiagnostics[0]);

        /// <summary>Runs the analyzer over <paramref name="source"/> and expects exactly <paramref name="expected"/> (plus
        /// any <c>[|...|]</c> spans marked in the source).</summary>
        public static async Task VerifyAsync(string source, params DiagnosticResult[] expected)
        {
            var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
            {
                ReferenceAssemblies = TestReferences.Net10,
                TestCode = source,
            };
            test.ExpectedDiagnostics.AddRange(expected);
            await test.RunAsync();
        }
    }

    internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        /// <summary>Applies the fix to every diagnostic one by one, and with Fix All in document, project and solution.</summary>
        public static async Task VerifyAsync(string source, string fixedSource, params DiagnosticResult[] expected)
        {
            var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
            {
                ReferenceAssemblies = TestReferences.Net10,
                TestCode = source,
                FixedCode = fixedSource,
            };
            test.ExpectedDiagnostics.AddRange(expected);
            await test.RunAsync();
        }

        /// <summary>Like <see cref="VerifyAsync"/>, for diagnostics the fix must leave alone (their code stays as it is).</summary>
        public static async Task VerifyWithUnfixedAsync(string source, string fixedSource, params DiagnosticResult[] remaining)
        {
            var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
            {
                ReferenceAssemblies = TestReferences.Net10,
                TestCode = source,
                FixedCode = fixedSource,
            };
            test.FixedState.ExpectedDiagnostics.AddRange(remaining);
            test.FixedState.MarkupHandling = MarkupMode.Allow;
            await test.RunAsync();
        }
    }
}
