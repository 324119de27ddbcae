using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Threading.Tasks;
using NJsonSchema;
using Xunit;

namespace LayoutAudit.Cli.Tests
{
    /// <summary>
    /// The SARIF log has what the SARIF 2.1.0 schema requires (version, runs, tool.driver.name; each result's message)
    /// and what code scanning needs to annotate a pull request: rule metadata, and results at repository-relative paths.
    /// </summary>
    [Collection(MSBuildCollection.Name)]
    public sealed class SarifTests
    {
        private static readonly string[] Levels = { "none", "note", "warning", "error" };
        private readonly AuditSample _sample;

        public SarifTests(AuditSample sample) => _sample = sample;

        [Fact]
        public async Task TheLogHasTheRequiredStructure()
        {
            string sarifPath = Path.Combine(_sample.Folder, "sarif-test.sarif");
            var (code, stdout, stderr) = await AuditSample.Run("audit", AuditSample.ProjectPath(_sample.BaseRoot), "--format", "json", "--fail-on", "none", "--sarif-output", sarifPath);
            Assert.True(code == ExitCodes.Success, stderr);
            using var json = JsonDocument.Parse(stdout);
            int findings = json.RootElement.GetProperty("findings").GetArrayLength();
            Assert.True(findings > 0);

            using var sarif = JsonDocument.Parse(await File.ReadAllTextAsync(sarifPath));
            var root = sarif.RootElement;
            Assert.Equal("2.1.0", root.GetProperty("version").GetString());
            Assert.EndsWith("sarif-schema-2.1.0.json", root.GetProperty("$schema").GetString(), StringComparison.Ordinal);
            var run = Assert.Single(root.GetProperty("runs").EnumerateArray());
            var driver = run.GetProperty("tool").GetProperty("driver");
            Assert.False(string.IsNullOrEmpty(driver.GetProperty("name").GetString()));

            var rules = driver.GetProperty("rules").EnumerateArray().ToList();
            Assert.Equal(AnalyzerCatalog.Rules(AnalyzerCatalog.Analyzers).Select(r => r.Id), rules.Select(r => r.GetProperty("id").GetString()));
            Assert.Contains("LA0001", rules.Select(r => r.GetProperty("id").GetString()));
            foreach (var rule in rules)
            {
                string id = rule.GetProperty("id").GetString()!;
                Assert.Matches("^[A-Z][A-Za-z0-9]*$", rule.GetProperty("name").GetString()!);
                Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("shortDescription").GetProperty("text").GetString()));
                Assert.Equal($"https://github.com/layoutaudit/layoutaudit/blob/main/docs/rules/{id}.md", rule.GetProperty("helpUri").GetString());
                Assert.Contains(rule.GetProperty("defaultConfiguration").GetProperty("level").GetString(), Levels);
            }

            var results = run.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(findings, results.Count);
            foreach (var result in results)
            {
                string ruleId = result.GetProperty("ruleId").GetString()!;
                Assert.Equal(ruleId, rules[result.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
                Assert.Contains(result.GetProperty("level").GetString(), Levels);
                Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("message").GetProperty("text").GetString()));
                var location = Assert.Single(result.GetProperty("locations").EnumerateArray()).GetProperty("physicalLocation");
                var artifact = location.GetProperty("artifactLocation");
                string uri = artifact.GetProperty("uri").GetString()!;
                Assert.Equal("src/App/Types.cs", uri);
                Assert.Equal("%SRCROOT%", artifact.GetProperty("uriBaseId").GetString());
                Assert.True(File.Exists(Path.Combine(_sample.BaseRoot, uri)));
                var region = location.GetProperty("region");
                Assert.True(region.GetProperty("startLine").GetInt32() >= 1);
                Assert.True(region.GetProperty("startColumn").GetInt32() >= 1);
            }
        }

        [Fact]
        public async Task TheLogObeysTheSarif210Schema()
        {
            var (code, stdout, stderr) = await _sample.RunOnce("audit", AuditSample.ProjectPath(_sample.BaseRoot), "--format", "sarif", "--fail-on", "none");
            Assert.True(code == ExitCodes.Success, stderr);
            var schema = await SarifSchema();
            Assert.Empty(schema.Validate(stdout));
            Assert.NotEmpty(JsonNode.Parse(stdout)!["runs"]![0]!["results"]!.AsArray());
        }

        [Theory]
        [InlineData("version", "\"2.0.0\"")]
        [InlineData("result.level", "\"fatal\"")]
        [InlineData("result.message", null)]
        [InlineData("result.surprise", "1")]
        [InlineData("region.startLine", "0")]
        [InlineData("rule.id", null)]
        [InlineData("rule.helpUri", "\"not a uri\"")]
        [InlineData("driver.name", null)]
        public async Task TheSchemaRejectsAWrongLog(string where, string? value)
        {
            var (code, stdout, stderr) = await _sample.RunOnce("audit", AuditSample.ProjectPath(_sample.BaseRoot), "--format", "sarif", "--fail-on", "none");
            Assert.True(code == ExitCodes.Success, stderr);
            var log = JsonNode.Parse(stdout)!.AsObject();
            var run = log["runs"]![0]!;
            string[] path = where.Split('.');
            JsonObject target = path[0] switch
            {
                "version" => log,
                "result" => run["results"]![0]!.AsObject(),
                "region" => run["results"]![0]!["locations"]![0]!["physicalLocation"]!["region"]!.AsObject(),
                "rule" => run["tool"]!["driver"]!["rules"]![0]!.AsObject(),
                _ => run["tool"]!["driver"]!.AsObject(),
            };
            string property = path[^1];
            if (value is null)
            {
                target.Remove(property);
            }
            else
            {
                target[property] = JsonNode.Parse(value);
            }

            Assert.NotEmpty((await SarifSchema()).Validate(log.ToJsonString()));
        }

        [Fact]
        public async Task EachResultPointsAtTheLineItFlags()
        {
            var (code, stdout, stderr) = await _sample.RunOnce("audit", AuditSample.ProjectPath(_sample.BaseRoot), "--format", "sarif", "--fail-on", "none");
            Assert.True(code == ExitCodes.Success, stderr);
            using var sarif = JsonDocument.Parse(stdout);
            string[] lines = await File.ReadAllLinesAsync(Path.Combine(_sample.BaseRoot, "src", "App", "Types.cs"));
            var flagged = new List<string>();
            foreach (var result in sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray())
            {
                var region = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
                string line = lines[region.GetProperty("startLine").GetInt32() - 1];
                flagged.Add(result.GetProperty("ruleId").GetString() + ":" + line.Substring(region.GetProperty("startColumn").GetInt32() - 1));
            }

            // LA0001 marks the struct's name; LA0005 the creation of the dictionary whose key lacks IEquatable.
            Assert.Contains(flagged, f => f.StartsWith("LA0001:Order {", StringComparison.Ordinal));
            Assert.Contains(flagged, f => f.StartsWith("LA0005:new Dictionary<Key, int>()", StringComparison.Ordinal));
        }

        /// <summary>Schemas/sarif-2.1.0.schema.json: the SARIF 2.1.0 specification's constraints on the objects the tool writes.</summary>
        private static Task<JsonSchema> SarifSchema([CallerFilePath] string thisFile = "") =>
            JsonSchema.FromFileAsync(Path.Combine(Path.GetDirectoryName(thisFile)!, "Schemas", "sarif-2.1.0.schema.json"));
    }
}
