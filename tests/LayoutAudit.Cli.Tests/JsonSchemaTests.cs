using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NJsonSchema;
using Xunit;

namespace LayoutAudit.Cli.Tests
{
    /// <summary>The JSON the tool writes obeys docs/schema/*.schema.json, and the schemas are strict enough to catch a wrong one.</summary>
    [Collection(MSBuildCollection.Name)]
    public sealed class JsonSchemaTests
    {
        private readonly AuditSample _sample;

        public JsonSchemaTests(AuditSample sample) => _sample = sample;

        [Fact]
        public async Task AuditJsonObeysTheSchema()
        {
            var schema = await Schema("layout-audit.schema.json");
            string json = await AuditJson(_sample.BaseRoot);
            Assert.Empty(schema.Validate(json));
            Assert.NotEmpty(JsonNode.Parse(json)!["findings"]!.AsArray());
        }

        [Fact]
        public async Task LayoutCommandJsonObeysTheSchemaOnceFindingsAreAdded()
        {
            // The layout command's JSON is the same contract without findings.
            var schema = await Schema("layout-audit.schema.json");
            var (code, stdout, stderr) = await AuditSample.Run("layout", Path.Combine(_sample.BaseRoot, "src", "App", "Types.cs"), Path.Combine(_sample.BaseRoot, "src", "App", "AuditLayoutAttribute.cs"), "--format", "json", "--all-types");
            Assert.True(code == ExitCodes.Success, stderr);
            var document = JsonNode.Parse(stdout)!.AsObject();
            Assert.NotEmpty(schema.Validate(document.ToJsonString()));
            document["findings"] = new JsonArray();
            Assert.Empty(schema.Validate(document.ToJsonString()));
        }

        [Theory]
        [InlineData("findings", "severity", "fatal")]
        [InlineData("findings", "line", "0")]
        [InlineData("types", "size", "\"24\"")]
        [InlineData("types", "surprise", "1")]
        public async Task TheSchemaRejectsAWrongReport(string array, string property, string value)
        {
            var schema = await Schema("layout-audit.schema.json");
            var document = JsonNode.Parse(await AuditJson(_sample.BaseRoot))!;
            document[array]![0]![property] = JsonNode.Parse(value.StartsWith('"') || char.IsDigit(value[0]) ? value : $"\"{value}\"");
            Assert.NotEmpty(schema.Validate(document.ToJsonString()));
        }

        [Fact]
        public async Task DiffJsonObeysItsSchema()
        {
            var schema = await Schema("layout-audit-diff.schema.json");
            string basePath = Path.Combine(_sample.Folder, "schema-base.json");
            string headPath = Path.Combine(_sample.Folder, "schema-head.json");
            await File.WriteAllTextAsync(basePath, await AuditJson(_sample.BaseRoot));
            await File.WriteAllTextAsync(headPath, await AuditJson(_sample.HeadRoot));
            var (code, stdout, stderr) = await AuditSample.Run("diff", basePath, headPath, "--format", "json");
            Assert.True(code == ExitCodes.Success, stderr);
            Assert.Empty(schema.Validate(stdout));
            var diff = JsonNode.Parse(stdout)!;
            Assert.True((bool)diff["regression"]!);
            diff["types"]![0]!["change"] = "bigger";
            Assert.NotEmpty(schema.Validate(diff.ToJsonString()));
        }

        private async Task<string> AuditJson(string root)
        {
            var (code, stdout, stderr) = await _sample.RunOnce("audit", AuditSample.ProjectPath(root), "--format", "json", "--fail-on", "none");
            Assert.True(code == ExitCodes.Success, stderr);
            return stdout;
        }

        private static Task<JsonSchema> Schema(string name, [CallerFilePath] string thisFile = "") =>
            JsonSchema.FromFileAsync(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "docs", "schema", name)));
    }
}
