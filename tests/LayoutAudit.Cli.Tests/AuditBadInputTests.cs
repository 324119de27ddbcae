using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace LayoutAudit.Cli.Tests
{
    /// <summary>Bad input to audit and diff: one line on standard error, the documented exit code, no stack trace, no output.</summary>
    [Collection(MSBuildCollection.Name)]
    public sealed class AuditBadInputTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "layout-audit-bad-" + Guid.NewGuid().ToString("N"));

        public AuditBadInputTests()
        {
            Directory.CreateDirectory(Path.Combine(_folder, "empty"));
            Directory.CreateDirectory(Path.Combine(_folder, "two"));
            Write("two/A.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
            Write("two/B.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
            Write("notes.txt", "not a project");
            Write("broken/broken.csproj", "<Project><this is not xml");
            Write("malformed.json", "{\"types\": [");
            Write("wrong-shape.json", "{\"version\": \"2.1.0\", \"runs\": []}");
            Write("string-size.json", "{\"types\": [{\"name\": \"A\", \"kind\": \"struct\", \"size\": \"8\", \"fields\": [], \"padding\": 0}]}");
            Write("bad-severity.json", "{\"types\": [], \"findings\": [{\"id\": \"LA0001\", \"severity\": \"fatal\", \"message\": \"m\", \"file\": \"a.cs\", \"line\": 1, \"column\": 1}]}");
            Write("version-2.json", "{\"version\": 2, \"types\": []}");
            Write("good.json", "{\"version\": 1, \"types\": [], \"problems\": [], \"findings\": []}");
        }

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        public static IEnumerable<object[]> BadInputs() => new[]
        {
            new object[] { new[] { "audit", "{folder}/no-such-project.csproj" }, ExitCodes.BadInput, "path not found" },
            new object[] { new[] { "audit", "{folder}/empty" }, ExitCodes.BadInput, "no .sln or .csproj" },
            new object[] { new[] { "audit", "{folder}/two" }, ExitCodes.BadInput, "holds 2 projects" },
            new object[] { new[] { "audit", "{folder}/notes.txt" }, ExitCodes.BadInput, "unsupported input" },
            new object[] { new[] { "audit", "{folder}/broken/broken.csproj" }, ExitCodes.LoadFailure, "cannot load" },
            new object[] { new[] { "audit", "{folder}/good.json", "--format", "xml" }, ExitCodes.BadInput, "xml" },
            new object[] { new[] { "audit", "{folder}/two/A.csproj", "--fail-on", "sometimes" }, ExitCodes.BadInput, "sometimes" },
            new object[] { new[] { "audit", "{folder}/two/A.csproj", "--fail-on", "regression" }, ExitCodes.BadInput, "needs --baseline" },
            new object[] { new[] { "audit", "{folder}/two/A.csproj", "--baseline", "{folder}/good.json" }, ExitCodes.BadInput, "only used with --fail-on regression" },
            new object[] { new[] { "audit", "{folder}/two/A.csproj", "--fail-on", "regression", "--baseline", "{folder}/malformed.json" }, ExitCodes.BadReport, "not valid JSON" },
            new object[] { new[] { "audit", "{folder}/two/A.csproj", "--property", "NoEquals" }, ExitCodes.BadInput, "NAME=VALUE" },
            new object[] { new[] { "audit" }, ExitCodes.BadInput, "Required argument" },
            new object[] { new[] { "diff", "{folder}/good.json", "{folder}/missing.json" }, ExitCodes.BadInput, "file not found" },
            new object[] { new[] { "diff", "{folder}/good.json", "{folder}/empty" }, ExitCodes.BadInput, "is a directory" },
            new object[] { new[] { "diff", "{folder}/malformed.json", "{folder}/good.json" }, ExitCodes.BadReport, "malformed.json is not valid JSON" },
            new object[] { new[] { "diff", "{folder}/good.json", "{folder}/wrong-shape.json" }, ExitCodes.BadReport, "wrong-shape.json is not a layout-audit report: it has no \"types\" array" },
            new object[] { new[] { "diff", "{folder}/string-size.json", "{folder}/good.json" }, ExitCodes.BadReport, "types[0].size must be an integer" },
            new object[] { new[] { "diff", "{folder}/bad-severity.json", "{folder}/good.json" }, ExitCodes.BadReport, "findings[0].severity must be one of error, warning, info (found \"fatal\")" },
            new object[] { new[] { "diff", "{folder}/version-2.json", "{folder}/good.json" }, ExitCodes.BadReport, "version must be 1" },
            new object[] { new[] { "diff", "{folder}/good.json", "{folder}/good.json", "--format", "sarif" }, ExitCodes.BadInput, "sarif" },
            new object[] { new[] { "diff", "{folder}/good.json" }, ExitCodes.BadInput, "Required argument" },
            new object[] { new[] { "diff", "{folder}/good.json", "{folder}/good.json", "--output", "/no/such/folder/diff.md" }, ExitCodes.BadInput, "cannot write" },
        };

        [Theory]
        [MemberData(nameof(BadInputs))]
        public async Task OneLineAndItsExitCode(string[] args, int expectedCode, string expectedText)
        {
            await Expect(args.Select(a => a.Replace("{folder}", _folder, StringComparison.Ordinal)).ToArray(), expectedCode, expectedText);
        }

        [Fact]
        public async Task AProjectThatDoesNotCompileIsALoadFailure()
        {
            string project = Write("unbuildable/Unbuildable.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
            Write("unbuildable/Broken.cs", "public struct S { public int X = \"not an int\"; }");
            await AuditSample.Restore(project);
            await Expect(new[] { "audit", project }, ExitCodes.LoadFailure, "does not compile: ");
        }

        private static async Task Expect(string[] args, int expectedCode, string expectedText)
        {
            var (code, stdout, stderr) = await AuditSample.Run(args);
            Assert.True(expectedCode == code, $"exit {code}: {stderr}");
            Assert.Equal("", stdout);
            string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("layout-audit: error: ", line, StringComparison.Ordinal);
            Assert.Contains(expectedText, line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        }

        private string Write(string name, string text)
        {
            string path = Path.Combine(_folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            return path;
        }
    }
}
