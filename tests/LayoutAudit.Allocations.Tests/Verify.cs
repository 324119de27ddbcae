using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace LayoutAudit.Allocations.Tests
{
    /// <summary>Runs one allocation rule over a source (plus the attribute) with the testing library and expects exactly
    /// the given diagnostics.</summary>
    internal static class Verify<TAnalyzer>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Threading.Tasks;\n";

        public static DiagnosticResult Diagnostic(int location) => new DiagnosticResult(new TAnalyzer().SupportedDiagnostics[0]).WithLocation(location);

        public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected) => AnalyzerAsync(source, editorConfig: null, expected);

        public static async Task AnalyzerAsync(string source, string? editorConfig, params DiagnosticResult[] expected)
        {
            var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
            {
                ReferenceAssemblies = TestReferences.None,
                TestState = { Sources = { Usings + source, ("Attribute.cs", TestReferences.Attribute) } },
            };
            test.TestState.AdditionalReferences.AddRange(TestReferences.ReferencePack);
            if (editorConfig is not null)
            {
                test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\n" + editorConfig));
            }

            test.ExpectedDiagnostics.AddRange(expected);
            await test.RunAsync();
        }
    }
}
