using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace LayoutAudit.Allocations.Tests
{
    /// <summary>Runs an allocation rule and its code fix with the testing library: each diagnostic fixed one at a time, then
    /// Fix All in document, project and solution, all reaching <c>fixedSource</c>, which must compile without errors.
    /// When <c>fixedSource</c> equals <c>source</c>, no fix may change anything.</summary>
    internal static class FixVerify<TAnalyzer, TFix>
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        public static async Task VerifyAsync(string source, string fixedSource, LanguageVersion language = LanguageVersion.Latest, params DiagnosticResult[] remaining)
        {
            var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
            {
                ReferenceAssemblies = TestReferences.None,
                TestState = { Sources = { Verify<TAnalyzer>.Usings + source, ("Attribute.cs", TestReferences.Attribute) } },
                FixedState = { Sources = { Verify<TAnalyzer>.Usings + fixedSource, ("Attribute.cs", TestReferences.Attribute) } },
            };
            test.TestState.AdditionalReferences.AddRange(TestReferences.ReferencePack);
            test.FixedState.AdditionalReferences.AddRange(TestReferences.ReferencePack);
            if (remaining.Length > 0)
            {
                test.FixedState.ExpectedDiagnostics.AddRange(remaining);
                test.FixedState.MarkupHandling = MarkupMode.Allow;
            }

            test.SolutionTransforms.Add((solution, projectId) =>
                solution.WithProjectParseOptions(projectId, ((CSharpParseOptions)solution.GetProject(projectId)!.ParseOptions!).WithLanguageVersion(language)));
            await test.RunAsync();
        }
    }

    /// <summary>The IL side of a fix's proof: compiles a source (markup removed, Release, the same references and compiler
    /// as the IL proof), fails on any compile error, and lists the allocations the IL makes in one method.</summary>
    internal static class FixIl
    {
        /// <summary><paramref name="method"/> is <c>Type.Method</c>; ending with <c>*</c>, a prefix (an async method's
        /// <c>&lt;Name&gt;d__*</c> state machine).</summary>
        public static IReadOnlyList<IlAllocation> In(string source, string method, LanguageVersion language = LanguageVersion.Latest)
        {
            TestFileMarkupParser.GetSpans(Verify<BoxingAnalyzer>.Usings + source, out string code, out System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Text.TextSpan> _);
            var parse = new CSharpParseOptions(language);
            var compilation = CSharpCompilation.Create(
                "Fixed",
                new[] { CSharpSyntaxTree.ParseText(code, parse, path: "Fixed.cs", encoding: Encoding.UTF8), CSharpSyntaxTree.ParseText(TestReferences.Attribute, parse, path: "Attribute.cs", encoding: Encoding.UTF8) },
                TestReferences.ReferencePack,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
            using var pe = new MemoryStream();
            using var pdb = new MemoryStream();
            var result = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
            Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)) + Environment.NewLine + code);
            return IlAllocations.Read(pe.ToArray(), pdb.ToArray(), compilation)
                .Where(a => method.EndsWith("*", StringComparison.Ordinal) ? a.Method.StartsWith(method.TrimEnd('*'), StringComparison.Ordinal) : a.Method == method)
                .ToList();
        }

        /// <summary>The method allocates <paramref name="kind"/> before the fix and nothing of that kind after it.</summary>
        public static void FixRemoves(IlAllocationKind kind, string method, string source, string fixedSource, LanguageVersion language = LanguageVersion.Latest)
        {
            var before = In(source, method, language);
            var after = In(fixedSource, method, language);
            Assert.True(before.Any(a => a.Kind == kind), $"no {kind} in {method} before the fix: " + string.Join("; ", before));
            Assert.True(after.All(a => a.Kind != kind), $"{kind} left in {method} after the fix: " + string.Join("; ", after));
        }
    }
}
