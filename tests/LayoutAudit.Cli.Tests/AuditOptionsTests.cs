using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace LayoutAudit.Cli.Tests
{
    /// <summary>The audit sees what the build sees: the project's .editorconfig severities and settings, and #pragma.</summary>
    [Collection(MSBuildCollection.Name)]
    public sealed class AuditOptionsTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "layout-audit-options-" + Guid.NewGuid().ToString("N"));

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        [Fact]
        public async Task EditorConfigSeveritiesAndPragmasApply()
        {
            Directory.CreateDirectory(Path.Combine(_folder, ".git"));
            Write("App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
            Write("AuditLayoutAttribute.cs", AuditSample.Attribute);
            Write("Types.cs", """
                using System.Collections.Generic;
                namespace Sample
                {
                    [LayoutAudit.AuditLayout] public struct Order { public byte Flag; public long Id; public byte Kind; }
                #pragma warning disable LA0001
                    [LayoutAudit.AuditLayout] public struct Quiet { public byte Flag; public long Id; public byte Kind; }
                #pragma warning restore LA0001
                    public struct Key { public int A; }
                    public static class Lookup { public static readonly Dictionary<Key, int> Table = new Dictionary<Key, int>(); }
                }
                """);
            Write(".editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.LA0001.severity = error\ndotnet_diagnostic.LA0005.severity = none\n");
            await AuditSample.Restore(Path.Combine(_folder, "App.csproj"));

            var (code, stdout, stderr) = await AuditSample.Run("audit", _folder, "--format", "json", "--fail-on", "error");
            Assert.Equal(ExitCodes.Findings, code);
            Assert.Contains("1 finding at error level or above", stderr, StringComparison.Ordinal);
            using var json = JsonDocument.Parse(stdout);
            var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
            Assert.Equal(("LA0001", "error", "Types.cs", 4), (finding.GetProperty("id").GetString(), finding.GetProperty("severity").GetString(), finding.GetProperty("file").GetString(), finding.GetProperty("line").GetInt32()));
            Assert.Contains("'Order'", finding.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(new[] { "Sample.Order", "Sample.Quiet" }, json.RootElement.GetProperty("types").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        }

        private void Write(string name, string text)
        {
            Directory.CreateDirectory(_folder);
            File.WriteAllText(Path.Combine(_folder, name), text);
        }
    }
}
