using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LayoutAudit.Runtime;
using Xunit;

namespace LayoutAudit.Cli.Tests
{
    /// <summary>What CI does: audit the base and the head of a change (each a restored checkout), diff them into the
    /// pull-request comment, and gate on regressions. Expected sizes come from the runtime, measured on the same code.</summary>
    [Collection(MSBuildCollection.Name)]
    public sealed class EndToEndTests
    {
        private readonly AuditSample _sample;

        public EndToEndTests(AuditSample sample) => _sample = sample;

        [Fact]
        public async Task TheMarkdownDiffIsThePullRequestComment()
        {
            string basePath = await Audit(_sample.BaseRoot, "e2e-base.json");
            string headPath = await Audit(_sample.HeadRoot, "e2e-head.json");
            string comment = Path.Combine(_sample.Folder, "comment.md");
            var (code, stdout, stderr) = await AuditSample.Run("diff", basePath, headPath, "--format", "markdown", "--output", comment);
            Assert.True(code == ExitCodes.Success, stderr);
            Assert.Equal("", stdout);
            string[] lines = (await File.ReadAllTextAsync(comment)).Split('\n');

            var before = AuditSample.Build(AuditSample.BaseSource);
            var after = AuditSample.Build(AuditSample.HeadSource);
            var orderBefore = RuntimeLayoutInspector.Measure(before.GetType("Sample.Order", throwOnError: true)!);
            var orderAfter = RuntimeLayoutInspector.Measure(after.GetType("Sample.Order", throwOnError: true)!);
            var reading = RuntimeLayoutInspector.Measure(after.GetType("Sample.Reading", throwOnError: true)!);
            int growth = orderAfter.Size - orderBefore.Size;
            Assert.True(growth > 0, "the head's Order must be bigger for this test to mean anything");

            Assert.Equal("<!-- layout-audit-diff -->", lines[0]);
            string verdict = Assert.Single(lines, l => l.StartsWith("❌ ", StringComparison.Ordinal));
            Assert.StartsWith($"❌ **1 type grew** (+{growth} bytes)", verdict, StringComparison.Ordinal);
            Assert.Contains("1 type added", verdict, StringComparison.Ordinal);
            Assert.Contains("1 finding fixed", verdict, StringComparison.Ordinal);

            string grew = Assert.Single(lines, l => l.StartsWith("| grew |", StringComparison.Ordinal));
            Assert.StartsWith($"| grew | `Sample.Order` | {orderBefore.Size} → {orderAfter.Size} | +{growth} |", grew, StringComparison.Ordinal);
            Assert.Contains(lines, l => l.StartsWith($"| added | `Sample.Reading` | {reading.Size} |", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("`Sample.Point`", StringComparison.Ordinal) || l.Contains("`Sample.Node`", StringComparison.Ordinal));

            Assert.Contains(lines, l => l.StartsWith("<summary><code>Sample.Order</code>", StringComparison.Ordinal));
            Assert.Equal(lines.Count(l => l == "<details>"), lines.Count(l => l == "</details>"));
            foreach (var field in orderAfter.Fields.Where(f => f.Name is "Count" or "Extra"))
            {
                Assert.Contains($"| {field.Offset} | {field.Size} | `{field.Name}` | `{(field.Name == "Count" ? "int" : "byte")}` | added |", lines);
            }

            int fixedHeading = Array.IndexOf(lines, "#### Fixed findings (1)");
            Assert.True(fixedHeading > 0);
            Assert.StartsWith("| [LA0005](https://github.com/layoutaudit/layoutaudit/blob/main/docs/rules/LA0005.md) | warning | `src/App/Types.cs:", lines[fixedHeading + 4], StringComparison.Ordinal);
            Assert.DoesNotContain(lines, l => l.StartsWith("#### New findings", StringComparison.Ordinal));
        }

        [Fact]
        public async Task FailOnRegressionFailsOnlyWhenSomethingGotWorse()
        {
            string basePath = await Audit(_sample.BaseRoot, "e2e-base.json");
            string headPath = await Audit(_sample.HeadRoot, "e2e-head.json");

            var (code, stdout, stderr) = await AuditSample.Run("audit", AuditSample.ProjectPath(_sample.HeadRoot), "--fail-on", "regression", "--baseline", basePath, "--format", "json");
            Assert.Equal(ExitCodes.Findings, code);
            Assert.StartsWith("layout-audit: regression against the baseline: 1 type grew", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
            Assert.Equal(await File.ReadAllTextAsync(headPath), stdout);

            // Against itself nothing is new: the same audit passes, though it has warnings.
            (code, _, stderr) = await AuditSample.Run("audit", AuditSample.ProjectPath(_sample.HeadRoot), "--fail-on", "regression", "--baseline", headPath, "--format", "json");
            Assert.True(code == ExitCodes.Success, stderr);
            (code, _, stderr) = await AuditSample.Run("audit", AuditSample.ProjectPath(_sample.HeadRoot), "--fail-on", "warning", "--format", "json");
            Assert.Equal(ExitCodes.Findings, code);
            Assert.Contains("at warning level or above", stderr, StringComparison.Ordinal);
        }

        [Fact]
        public async Task SolutionsOfBothFormatsAreAuditedThroughTheirProjects()
        {
            var (code, expected, stderr) = await _sample.RunOnce("audit", AuditSample.ProjectPath(_sample.BaseRoot), "--format", "json", "--fail-on", "none");
            Assert.True(code == ExitCodes.Success, stderr);

            // The SDK writes .slnx by default; the classic format is still the common one.
            string xml = Path.Combine(_sample.BaseRoot, "xml");
            Directory.CreateDirectory(xml);
            await File.WriteAllTextAsync(Path.Combine(xml, "Sample.slnx"), "<Solution>\n  <Folder Name=\"/src/\">\n    <Project Path=\"../src/App/App.csproj\" />\n  </Folder>\n</Solution>\n");
            string classic = Path.Combine(_sample.BaseRoot, "classic");
            await Dotnet("new", "sln", "--format", "sln", "--name", "Sample", "--output", classic);
            await Dotnet("sln", Path.Combine(classic, "Sample.sln"), "add", AuditSample.ProjectPath(_sample.BaseRoot));

            foreach (string folder in new[] { xml, classic })
            {
                (code, string stdout, stderr) = await AuditSample.Run("audit", folder, "--format", "json", "--fail-on", "none");
                Assert.True(code == ExitCodes.Success, stderr);
                Assert.Equal(expected, stdout);
            }
        }

        private static async Task Dotnet(params string[] args)
        {
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = System.Diagnostics.Process.Start(start)!;
            string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, output);
        }

        private async Task<string> Audit(string root, string name)
        {
            string path = Path.Combine(_sample.Folder, name);
            var (code, _, stderr) = await _sample.RunOnce("audit", root + "/src/App", "--format", "json", "--fail-on", "none", "--output", path);
            Assert.True(code == ExitCodes.Success, stderr);
            return path;
        }
    }
}
