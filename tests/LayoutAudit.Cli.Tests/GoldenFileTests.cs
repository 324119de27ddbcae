using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using LayoutAudit.Runtime;
using Xunit;

namespace LayoutAudit.Cli.Tests
{
    /// <summary>
    /// Every output format of <c>audit</c> and <c>diff</c> against a checked-in file (Golden/). Set
    /// LAYOUT_AUDIT_UPDATE_GOLDEN=1 to rewrite them after a deliberate change, then read the diff before committing.
    /// The layout numbers in the golden JSON are checked against the runtime, not taken on trust.
    /// </summary>
    [Collection(MSBuildCollection.Name)]
    public sealed class GoldenFileTests
    {
        private readonly AuditSample _sample;

        public GoldenFileTests(AuditSample sample) => _sample = sample;

        [Fact]
        public async Task AuditText() => Match("audit.txt", await Audit("text"));

        [Fact]
        public async Task AuditMarkdown() => Match("audit.md", await Audit("markdown"));

        [Fact]
        public async Task AuditJson() => Match("audit.json", await Audit("json"));

        [Fact]
        public async Task AuditSarif() => Match("audit.sarif", OnlyFiredRules(await Audit("sarif")));

        [Theory]
        [InlineData("text", "diff.txt")]
        [InlineData("markdown", "diff.md")]
        [InlineData("json", "diff.json")]
        public async Task Diff(string format, string golden)
        {
            var (code, stdout, stderr) = await AuditSample.Run("diff", await Report(_sample.BaseRoot), await Report(_sample.HeadRoot), "--format", format);
            Assert.True(code == ExitCodes.Success, stderr);
            Match(golden, stdout);
        }

        [Fact]
        public void GoldenLayoutsAreTheRuntimes()
        {
            var assembly = AuditSample.Build(AuditSample.BaseSource);
            using var golden = JsonDocument.Parse(File.ReadAllText(GoldenPath("audit.json")));
            var types = golden.RootElement.GetProperty("types").EnumerateArray().ToList();
            Assert.Equal(new[] { "Sample.Node", "Sample.Order", "Sample.Point" }, types.Select(t => t.GetProperty("name").GetString()));
            foreach (var type in types)
            {
                var measured = RuntimeLayoutInspector.Measure(assembly.GetType(type.GetProperty("name").GetString()!, throwOnError: true)!);
                Assert.Equal(measured.Size, type.GetProperty("size").GetInt32());
                var fields = type.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => (f.GetProperty("offset").GetInt32(), f.GetProperty("size").GetInt32()));
                Assert.Equal(measured.Fields.Count, fields.Count);
                foreach (var field in measured.Fields)
                {
                    Assert.Equal((field.Offset, field.Size), fields[field.Name]);
                }
            }
        }

        private async Task<string> Audit(string format)
        {
            // The directory form for text, the project form for the others: both inputs are covered.
            string input = format == "text" ? Path.Combine(_sample.BaseRoot, "src", "App") : AuditSample.ProjectPath(_sample.BaseRoot);
            var (code, stdout, stderr) = await _sample.RunOnce("audit", input, "--format", format, "--fail-on", "none");
            Assert.True(code == ExitCodes.Success, stderr);
            Assert.Equal("", stderr);
            return stdout;
        }

        private async Task<string> Report(string root)
        {
            string path = Path.Combine(root, "report.json");
            var (code, _, stderr) = await _sample.RunOnce("audit", AuditSample.ProjectPath(root), "--format", "json", "--fail-on", "none", "--output", path);
            Assert.True(code == ExitCodes.Success, stderr);
            return path;
        }

        /// <summary>The rule list grows with every analyzer the tool gains; the golden keeps the rules the sample fires.</summary>
        private static string OnlyFiredRules(string sarif)
        {
            var log = JsonNode.Parse(sarif)!;
            var run = log["runs"]![0]!;
            var results = run["results"]!.AsArray();
            var fired = results.Select(r => (string)r!["ruleId"]!).Distinct().ToList();
            var driver = run["tool"]!["driver"]!;
            var rules = driver["rules"]!.AsArray().Where(r => fired.Contains((string)r!["id"]!)).Select(r => r!.DeepClone()).ToArray();
            driver["rules"] = new JsonArray(rules);
            foreach (var result in results)
            {
                result!["ruleIndex"] = Array.FindIndex(rules, r => (string)r!["id"]! == (string)result["ruleId"]!);
            }

            driver["semanticVersion"] = "<version>";
            return log.ToJsonString(new JsonSerializerOptions { WriteIndented = true, NewLine = "\n", Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        }

        private void Match(string golden, string actual)
        {
            actual = actual.Replace(_sample.Folder, "<tmp>", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal);
            actual = Regex.Replace(actual, "<tmp>/(base|head)/", "", RegexOptions.None);
            string path = GoldenPath(golden);
            if (Environment.GetEnvironmentVariable("LAYOUT_AUDIT_UPDATE_GOLDEN") == "1")
            {
                File.WriteAllText(path, actual);
            }

            Assert.True(File.Exists(path), $"no golden file {path}: run with LAYOUT_AUDIT_UPDATE_GOLDEN=1 to create it");
            Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal), actual);
        }

        private static string GoldenPath(string name, [CallerFilePath] string thisFile = "") =>
            Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden", name);
    }
}
