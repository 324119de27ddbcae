using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using LayoutAudit.Fuzz.Tests;
using Xunit;
using Xunit.Abstractions;

namespace LayoutAudit.Cli.Tests
{
    /// <summary>
    /// <c>layout-audit layout File.cs</c> on each pathological type: the command runs (exit 0, at most the one-line
    /// warning that the code has compile errors, never a stack trace), and the report lists a layout for a valid
    /// type and, for one with none, the type under <c>problems</c> with the reason (where the compiler reports the
    /// error, there or not at all): never a size.
    /// </summary>
    public sealed class PathologicalCliTests : IDisposable
    {
        /// <summary>The attribute as the package declares it; <c>layout</c> compiles .cs files against the runtime only.</summary>
        private const string Attribute = """

            namespace LayoutAudit
            {
                [System.AttributeUsage(System.AttributeTargets.Struct | System.AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
                public sealed class AuditLayoutAttribute : System.Attribute
                {
                    public int CacheLineSize { get; set; } = 64;
                    public int PaddingBudget { get; set; } = -1;
                    public int MaxSize { get; set; } = -1;
                }
            }
            """;

        private readonly string _folder = Path.Combine(Path.GetTempPath(), "layout-audit-pathological-" + Guid.NewGuid().ToString("N"));
        private readonly ITestOutputHelper _output;

        public PathologicalCliTests(ITestOutputHelper output)
        {
            _output = output;
            Directory.CreateDirectory(_folder);
        }

        public static TheoryData<string> Cases => new(PathologicalCases.All.Select(c => c.Name));

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        [Theory]
        [MemberData(nameof(Cases))]
        public async Task LayoutReportsALayoutOrWhyThereIsNone(string name)
        {
            var pathological = PathologicalCases.Named(name);
            string path = Path.Combine(_folder, "Input.cs");
            File.WriteAllText(path, pathological.Source + Attribute);

            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = await LayoutAuditCommand.RunAsync(new[] { "layout", path, "--format", "json" }, stdout, stderr);

            string errors = stderr.ToString();
            _output.WriteLine($"{name}: exit {code}; stderr: {errors.Trim()}");
            Assert.Equal(ExitCodes.Success, code);
            Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
            Assert.True(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length <= 1, errors);

            using var json = JsonDocument.Parse(stdout.ToString());
            var types = json.RootElement.GetProperty("types").EnumerateArray().ToList();
            var problems = json.RootElement.TryGetProperty("problems", out var list) ? list.EnumerateArray().ToList() : new();
            string shortName = pathological.Type.Split('.', '+', '`').Where(p => p.Length > 0 && !char.IsDigit(p[0])).Last();
            bool Named(JsonElement e) => e.GetProperty("name").GetString()!.Contains(shortName, StringComparison.Ordinal);

            if (pathological.Expected == Expected.Layout)
            {
                var type = Assert.Single(types, Named);
                Assert.True(type.GetProperty("size").GetInt32() > 0);
                Assert.DoesNotContain(problems, Named);
                return;
            }

            Assert.Empty(types);
            if (pathological.Expected is Expected.NoLayoutSaysWhy or Expected.CompilerErrorElsewhere)
            {
                var problem = Assert.Single(problems, Named);
                Assert.Contains(pathological.Detail, problem.GetProperty("message").GetString(), StringComparison.Ordinal);
            }
        }
    }
}
