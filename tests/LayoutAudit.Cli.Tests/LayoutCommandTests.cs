using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Threading.Tasks;
using LayoutAudit.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LayoutAudit.Cli.Tests
{
    public sealed class LayoutCommandTests : IDisposable
    {
        private const string Source = """
            using System.Runtime.InteropServices;
            namespace Sample
            {
                public struct Bad { public bool A; public long B; }
                public struct Shrinks { public byte A; public long B; public byte C; public long D; public byte E; }
                public struct WithReference { public byte A; public object B; public int C; }
                [StructLayout(LayoutKind.Explicit)] public struct Union { [FieldOffset(0)] public long L; [FieldOffset(0)] public double D; [FieldOffset(8)] public byte B; }
                public class Base { public int X; public byte Y; }
                public class Derived : Base { public byte Z; public long W; }
                public class Outer { public struct Inner { public short S; public byte B; } }
            }
            """;

        private readonly string _folder = Path.Combine(Path.GetTempPath(), "layout-audit-cli-" + Guid.NewGuid().ToString("N"));

        public LayoutCommandTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        [Fact]
        public async Task JsonOfSourceFilesEqualsTheRuntimeLayout()
        {
            string path = Write("Sample.cs", Source);
            var (code, stdout, stderr) = await Run("layout", path, "--all-types", "--format", "json");
            Assert.Equal(ExitCodes.Success, code);
            Assert.Equal("", stderr);

            var assembly = Build(Source);
            using var json = JsonDocument.Parse(stdout);
            var types = json.RootElement.GetProperty("types").EnumerateArray().ToList();
            Assert.Equal(new[] { "Sample.Bad", "Sample.Base", "Sample.Derived", "Sample.Outer", "Sample.Outer+Inner", "Sample.Shrinks", "Sample.Union", "Sample.WithReference" }, types.Select(t => t.GetProperty("name").GetString()).OrderBy(n => n, StringComparer.Ordinal));
            foreach (var type in types)
            {
                var measured = RuntimeLayoutInspector.Measure(assembly.GetType(type.GetProperty("name").GetString()!)!);
                Assert.Equal(measured.Size, type.GetProperty("size").GetInt32());
                Assert.Equal(measured.Category == LayoutAudit.Core.TypeCategory.Class ? "class" : "struct", type.GetProperty("kind").GetString());
                var fields = type.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => (Offset: f.GetProperty("offset").GetInt32(), Size: f.GetProperty("size").GetInt32()));
                Assert.Equal(measured.Fields.Count, fields.Count);
                foreach (var field in measured.Fields)
                {
                    Assert.Equal((field.Offset, field.Size), fields[field.Name]);
                }

                Assert.True(type.TryGetProperty("alignment", out _));
                Assert.True(type.TryGetProperty("padding", out _));
            }

            var shrinks = types.Single(t => t.GetProperty("name").GetString() == "Sample.Shrinks");
            Assert.Equal(new[] { "B", "D", "A", "C", "E" }, shrinks.GetProperty("suggestedOrder").EnumerateArray().Select(e => e.GetString()));
            var bad = types.Single(t => t.GetProperty("name").GetString() == "Sample.Bad");
            Assert.Equal(JsonValueKind.Null, bad.GetProperty("suggestedOrder").ValueKind);
            Assert.Equal(JsonValueKind.Null, bad.GetProperty("suggestedSize").ValueKind);
        }

        [Fact]
        public async Task TextMarksHolesAndTheSuggestion()
        {
            string path = Write("Sample.cs", Source);
            var (code, stdout, _) = await Run("layout", path, "--all-types");
            Assert.Equal(ExitCodes.Success, code);
            Assert.Contains("struct Sample.Shrinks {", stdout);
            Assert.Contains("XXX 7 bytes hole", stdout);
            Assert.Contains("suggested order: B, D, A, C, E", stdout);
            Assert.Contains("method table pointer", stdout);
        }

        [Fact]
        public async Task WithoutAllTypesOnlyAnnotatedTypesAreShown()
        {
            string source = """
                namespace LayoutAudit { [System.AttributeUsage(System.AttributeTargets.All)] public sealed class AuditLayoutAttribute : System.Attribute { } }
                namespace Sample
                {
                    [LayoutAudit.AuditLayout] public struct Audited { public byte A; public int B; }
                    public struct NotAudited { public byte A; }
                }
                """;
            var (code, stdout, _) = await Run("layout", Write("Annotated.cs", source));
            Assert.Equal(ExitCodes.Success, code);
            Assert.Contains("Sample.Audited", stdout);
            Assert.DoesNotContain("NotAudited", stdout);
        }

        [Fact]
        public async Task AnAssemblyIsReadFromItsMetadata()
        {
            string dll = Path.Combine(_folder, "Sample.dll");
            var compilation = Compile(Source);
            var emitted = compilation.Emit(dll);
            Assert.True(emitted.Success);
            var (code, stdout, stderr) = await Run("layout", dll, "--all-types", "--format", "json");
            Assert.Equal(ExitCodes.Success, code);
            Assert.Equal("", stderr);
            var assembly = Build(Source);
            using var json = JsonDocument.Parse(stdout);
            foreach (var type in json.RootElement.GetProperty("types").EnumerateArray())
            {
                var measured = RuntimeLayoutInspector.Measure(assembly.GetType(type.GetProperty("name").GetString()!)!);
                Assert.Equal(measured.Size, type.GetProperty("size").GetInt32());
            }
        }

        [Fact]
        public async Task AProjectIsLoadedThroughMSBuild()
        {
            Write("Sample.cs", Source);
            string project = Write("Sample.csproj", """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
                </Project>
                """);
            using (var restore = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet", $"restore \"{project}\"") { RedirectStandardOutput = true, RedirectStandardError = true })!)
            {
                await restore.WaitForExitAsync();
                Assert.Equal(0, restore.ExitCode);
            }

            var (code, stdout, stderr) = await Run("layout", project, "--all-types", "--format", "json");
            Assert.True(code == ExitCodes.Success, stderr);
            var assembly = Build(Source);
            using var json = JsonDocument.Parse(stdout);
            Assert.Equal(8, json.RootElement.GetProperty("types").GetArrayLength());
            foreach (var type in json.RootElement.GetProperty("types").EnumerateArray())
            {
                var measured = RuntimeLayoutInspector.Measure(assembly.GetType(type.GetProperty("name").GetString()!)!);
                Assert.Equal(measured.Size, type.GetProperty("size").GetInt32());
            }
        }

        [Fact]
        public async Task OutputGoesToTheFileGiven()
        {
            string output = Path.Combine(_folder, "out.json");
            var (code, stdout, _) = await Run("layout", Write("Sample.cs", Source), "--all-types", "--format", "json", "--output", output);
            Assert.Equal(ExitCodes.Success, code);
            Assert.Equal("", stdout);
            using var json = JsonDocument.Parse(File.ReadAllText(output));
            Assert.Equal(8, json.RootElement.GetProperty("types").GetArrayLength());
        }

        public static IEnumerable<object[]> BadInputs() => new[]
        {
            new object[] { new[] { "layout", "/no/such/file.cs" }, ExitCodes.BadInput, "file not found" },
            new object[] { new[] { "layout", "{folder}" }, ExitCodes.BadInput, "is a directory" },
            new object[] { new[] { "layout", "{folder}/notes.txt" }, ExitCodes.BadInput, "unsupported input" },
            new object[] { new[] { "layout", "{folder}/garbage.dll" }, ExitCodes.LoadFailure, "not a .NET assembly" },
            new object[] { new[] { "layout", "{folder}/Sample.cs", "--format", "xml" }, ExitCodes.BadInput, "xml" },
            new object[] { new[] { "layout", "{folder}/Sample.cs", "--no-such-option" }, ExitCodes.BadInput, "--no-such-option" },
            new object[] { new[] { "layout" }, ExitCodes.BadInput, "Required argument" },
            new object[] { new[] { "layout", "{folder}/Sample.cs", "--output", "/no/such/folder/out.txt" }, ExitCodes.BadInput, "cannot write" },
            new object[] { new[] { "layout", "{folder}/broken.csproj" }, ExitCodes.LoadFailure, "cannot load the project" },
        };

        [Theory]
        [MemberData(nameof(BadInputs))]
        public async Task BadInputGivesOneLineAndItsExitCode(string[] args, int expectedCode, string expectedText)
        {
            Write("Sample.cs", Source);
            Write("notes.txt", "not code");
            Write("garbage.dll", "MZ but not really an assembly");
            Write("broken.csproj", "<Project><this is not xml");
            var (code, stdout, stderr) = await Run(args.Select(a => a.Replace("{folder}", _folder, StringComparison.Ordinal)).ToArray());
            Assert.Equal(expectedCode, code);
            Assert.Equal("", stdout);
            string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("layout-audit: error: ", line);
            Assert.Contains(expectedText, line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        }

        private string Write(string name, string text)
        {
            string path = Path.Combine(_folder, name);
            File.WriteAllText(path, text);
            return path;
        }

        [Fact]
        public async Task CtrlCIsOneLineAndExitCode130()
        {
            string path = Write("Sample.cs", Source);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = await LayoutAuditCommand.RunAsync(new[] { "layout", path, "--all-types" }, stdout, stderr, new System.Threading.CancellationToken(canceled: true));
            Assert.Equal(ExitCodes.Cancelled, code);
            Assert.Equal("layout-audit: cancelled", stderr.ToString().Trim());
            Assert.Equal("", stdout.ToString());
        }

        private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = await LayoutAuditCommand.RunAsync(args, stdout, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }

        private static CSharpCompilation Compile(string source)
        {
            string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetDirectoryName(p) == runtime)
                .Select(p => MetadataReference.CreateFromFile(p));
            return CSharpCompilation.Create("Sample", new[] { CSharpSyntaxTree.ParseText(source) }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        }

        private static Assembly Build(string source)
        {
            using var stream = new MemoryStream();
            var result = Compile(source).Emit(stream);
            Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
            stream.Position = 0;
            return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(stream);
        }
    }
}
