using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.Loader;
using System.Text.Json;
using LayoutAudit.Runtime;
using Xunit;

namespace LayoutAudit.Package.Tests
{
    /// <summary>What a user of the package sees after <c>dotnet build</c>.</summary>
    public class PackageTests : IClassFixture<PackagedProject>
    {
        private readonly PackagedProject _project;

        public PackageTests(PackagedProject project)
        {
            _project = project;
            Assert.True(project.PackExitCode == 0, project.PackOutput);
            Assert.True(project.BuildExitCode == 0, project.BuildOutput);
        }

        [Fact]
        public void PackageHasItsAssembliesInTheirFolders()
        {
            using var package = ZipFile.OpenRead(_project.PackagePath);
            var entries = package.Entries.Select(e => e.FullName).ToHashSet();

            foreach (string analyzer in new[] { "LayoutAudit.Generator", "LayoutAudit.Analyzers", "LayoutAudit.Analyzers.CodeFixes", "LayoutAudit.Allocations", "LayoutAudit.Allocations.CodeFixes", "LayoutAudit.Retention", "LayoutAudit.Retention.CodeFixes", "LayoutAudit.Core", "LayoutAudit.Symbols", "LayoutAudit.Reports" })
            {
                Assert.Contains($"analyzers/dotnet/cs/{analyzer}.dll", entries);
            }

            Assert.Contains("lib/net8.0/LayoutAudit.Attributes.dll", entries);
            Assert.Contains("lib/net8.0/LayoutAudit.Runtime.dll", entries);
            Assert.Contains("lib/net8.0/LayoutAudit.Core.dll", entries);
            Assert.Contains("lib/netstandard2.0/LayoutAudit.Attributes.dll", entries);
            Assert.Contains("build/LayoutAudit.targets", entries);
            Assert.Contains("build/LayoutAudit.Build.dll", entries);
            Assert.Contains("buildTransitive/LayoutAudit.targets", entries);
            Assert.Contains("README.md", entries);

            using var nuspec = new StreamReader(package.GetEntry("LayoutAudit.nuspec")!.Open());
            string manifest = nuspec.ReadToEnd();
            Assert.Contains("<license type=\"expression\">MIT</license>", manifest, StringComparison.Ordinal);
            Assert.Contains("<readme>README.md</readme>", manifest, StringComparison.Ordinal);
            Assert.Contains("<tags>", manifest, StringComparison.Ordinal);
            Assert.DoesNotContain("<dependencies>", manifest, StringComparison.Ordinal);
        }

        [Fact]
        public void BuildReportsTheWastefulStructWithLA0001()
        {
            Assert.Contains("Program.cs(5,33): warning LA0001: 'Wasteful' is", _project.BuildOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("CS0433", _project.BuildOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("CS0436", _project.BuildOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("LA0010", _project.BuildOutput, StringComparison.Ordinal);
        }

        [Fact]
        public void AllocationAnalyzersRunInAuditedCode()
        {
            // Main is [AuditAllocations]; passing an int as the object argument of Console.WriteLine boxes it.
            Assert.Contains("warning LA1001", _project.BuildOutput, StringComparison.Ordinal);
        }

        [Fact]
        public void GeneratedFileHoldsTheReport()
        {
            string generated = File.ReadAllText(_project.GeneratedFile("App", "App.Wasteful.9.LayoutAudit.g.cs"));

            Assert.Contains("// struct App.Wasteful {", generated, StringComparison.Ordinal);
            Assert.Contains("//     bool A;", generated, StringComparison.Ordinal);
            Assert.Contains("XXX 7 bytes hole, try to pack", generated, StringComparison.Ordinal);
            Assert.Contains("suggested order: B, A, C", generated, StringComparison.Ordinal);
            Assert.Contains("[assembly: global::LayoutAudit.PredictedLayout(typeof(global::App.Wasteful), ", generated, StringComparison.Ordinal);
            Assert.True(File.Exists(_project.GeneratedFile("Lib", "Lib.Counters.9.LayoutAudit.g.cs")));
        }

        [Fact]
        public void JsonReportAgreesWithTheRuntime()
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_project.ApplicationOutput, "layout-audit.json")));
            var types = json.RootElement.GetProperty("types").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
            Assert.Equal(new[] { "App.Order", "App.Wasteful" }, types.Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Empty(json.RootElement.GetProperty("problems").EnumerateArray());

            // Measure the built types in this process and compare each reported size and offset.
            var context = new AssemblyLoadContext("e2e", isCollectible: true);
            try
            {
                var application = context.LoadFromAssemblyPath(Path.Combine(_project.ApplicationOutput, "App.dll"));
                foreach (var (name, reported) in types)
                {
                    var measured = RuntimeLayoutInspector.Measure(application.GetType(name, throwOnError: true)!);
                    Assert.Equal(measured.Size, reported.GetProperty("size").GetInt32());
                    var offsets = reported.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("offset").GetInt32());
                    Assert.Equal(measured.Fields.Count, offsets.Count);
                    Assert.All(measured.Fields, field => Assert.Equal(field.Offset, offsets[field.Name]));
                }
            }
            finally
            {
                context.Unload();
            }
        }

        [Fact]
        public void MarkdownReportListsEachProjectsTypes()
        {
            string application = File.ReadAllText(Path.Combine(_project.ApplicationOutput, "layout-audit.md"));
            string library = File.ReadAllText(Path.Combine(_project.LibraryOutput, "layout-audit.md"));

            Assert.Contains("## `App.Wasteful`", application, StringComparison.Ordinal);
            Assert.Contains("## `App.Order`", application, StringComparison.Ordinal);
            Assert.Contains("## `Lib.Sample`", library, StringComparison.Ordinal);
            Assert.Contains("## `Lib.Counters`", library, StringComparison.Ordinal);
            Assert.DoesNotContain("Lib.", application, StringComparison.Ordinal);
        }

        [Fact]
        public void ApplicationVerifiesItsPredictionsAtRunTime()
        {
            var (exitCode, output) = DotNet.Run(_project.Root, Path.Combine(_project.ApplicationOutput, "App.dll"));

            Assert.True(exitCode == 0, output);
            Assert.Contains("verified 4 layouts", output, StringComparison.Ordinal);
        }

        [Fact]
        public void ReportsCanBeSwitchedOff()
        {
            string folder = Path.Combine(_project.Root, "no-reports") + Path.DirectorySeparatorChar;

            var (exitCode, output) = DotNet.Run(_project.Root, "build", Path.Combine("Lib", "Lib.csproj"), "--no-restore", "-p:LayoutAuditReports=false", "-p:OutDir=" + folder);

            Assert.True(exitCode == 0, output);
            Assert.True(File.Exists(Path.Combine(folder, "Lib.dll")));
            Assert.False(File.Exists(Path.Combine(folder, "layout-audit.json")));
            Assert.False(File.Exists(Path.Combine(folder, "layout-audit.md")));
        }
    }
}
