using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace LayoutAudit.Retention.Tests
{
    /// <summary>examples/RetentionSeeds shows each rule on its seed's scenario, the bug next to its fix. The bugs are
    /// kept under <c>#pragma warning disable</c> so the example builds clean; this checks that each rule really fires
    /// there, once, and never on the fixed code.</summary>
    public sealed class ExampleProjectTests
    {
        [Fact]
        public async Task EachRuleFiresOnItsSeedScenarioAndNotOnTheFix()
        {
            string folder = Path.Combine(RepositoryRoot(), "examples", "RetentionSeeds");
            var files = Directory.GetFiles(folder, "*.cs").Select(path => (path, File.ReadAllText(path))).ToList();
            Assert.Contains(files, file => Path.GetFileName(file.path) == "LogExtractor.cs");

            var diagnostics = await Diagnostics.RunAsync(Diagnostics.AllRules, files, requireValidCode: true, reportSuppressed: true);

            Assert.Equal(new[] { "LA2001", "LA2002", "LA2003", "LA2004", "LA2005", "LA2006" }, diagnostics.Select(d => d.Id).OrderBy(id => id));
            foreach (var diagnostic in diagnostics)
            {
                Assert.True(diagnostic.IsSuppressed, $"{diagnostic} is outside the #pragma that marks the seed's bug");
                var method = diagnostic.Location.SourceTree!.GetRoot().FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<MethodDeclarationSyntax>();
                Assert.False(method?.Identifier.Text.EndsWith("Fixed", StringComparison.Ordinal) ?? true, $"{diagnostic} is not in a seed scenario's method");
            }
        }

        private static string RepositoryRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "LayoutAudit.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("LayoutAudit.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
