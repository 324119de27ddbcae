using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LayoutAudit.Cli.Tests
{
    /// <summary>Tests that load projects through MSBuild run one at a time: each load starts build processes.</summary>
    [CollectionDefinition(Name)]
    public sealed class MSBuildCollection : ICollectionFixture<AuditSample>
    {
        public const string Name = "MSBuild";
    }

    /// <summary>
    /// Two versions of a small repository (a .git folder, src/App/App.csproj), restored once for all the audit tests:
    /// the head version grows a struct, adds an audited struct and fixes a finding.
    /// </summary>
    public sealed class AuditSample : IDisposable
    {
        public const string Attribute = """
            using System;

            namespace LayoutAudit
            {
                [AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class)]
                public sealed class AuditLayoutAttribute : Attribute
                {
                    public int CacheLineSize { get; set; } = 64;
                    public int PaddingBudget { get; set; } = -1;
                    public int MaxSize { get; set; } = -1;
                }
            }
            """;

        public const string BaseSource = """
            using System.Collections.Generic;

            namespace Sample
            {
                [LayoutAudit.AuditLayout]
                public struct Order { public byte Flag; public long Id; public byte Kind; }

                [LayoutAudit.AuditLayout]
                public struct Point { public int X; public int Y; }

                [LayoutAudit.AuditLayout]
                public class Node { public byte Tag; public object? Next; public int Count; }

                public struct Key { public int A; public int B; }

                public static class Lookup
                {
                    private static readonly Dictionary<Key, int> Table = new Dictionary<Key, int>();

                    public static int Find(Key key) => Table[key];
                }
            }
            """;

        public const string HeadSource = """
            using System;
            using System.Collections.Generic;

            namespace Sample
            {
                [LayoutAudit.AuditLayout]
                public struct Order { public byte Flag; public long Id; public byte Kind; public int Count; public byte Extra; }

                [LayoutAudit.AuditLayout]
                public struct Point { public int X; public int Y; }

                [LayoutAudit.AuditLayout]
                public class Node { public byte Tag; public object? Next; public int Count; }

                [LayoutAudit.AuditLayout]
                public struct Reading { public bool Valid; public double Value; }

                public struct Key : IEquatable<Key>
                {
                    public int A;
                    public int B;
                    public bool Equals(Key other) => A == other.A && B == other.B;
                    public override bool Equals(object? obj) => obj is Key other && Equals(other);
                    public override int GetHashCode() => HashCode.Combine(A, B);
                }

                public static class Lookup
                {
                    private static readonly Dictionary<Key, int> Table = new Dictionary<Key, int>();

                    public static int Find(Key key) => Table[key];
                }
            }
            """;

        private const string Project = """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            </Project>
            """;

        private readonly Dictionary<string, Task<(int Code, string Stdout, string Stderr)>> _runs = new(StringComparer.Ordinal);

        public AuditSample()
        {
            Folder = Path.Combine(Path.GetTempPath(), "layout-audit-sample-" + Guid.NewGuid().ToString("N"));
            BaseRoot = CreateVersion("base", BaseSource);
            HeadRoot = CreateVersion("head", HeadSource);
        }

        public string Folder { get; }

        /// <summary>The base version's repository root (holds .git and src/App).</summary>
        public string BaseRoot { get; }

        public string HeadRoot { get; }

        public static string ProjectPath(string root) => Path.Combine(root, "src", "App", "App.csproj");

        /// <summary>Runs the CLI once per distinct command line and remembers the answer: MSBuild loads are slow.</summary>
        public Task<(int Code, string Stdout, string Stderr)> RunOnce(params string[] args)
        {
            string key = string.Join("\u0001", args);
            lock (_runs)
            {
                if (!_runs.TryGetValue(key, out var run))
                {
                    run = Run(args);
                    _runs[key] = run;
                }

                return run;
            }
        }

        public static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = await LayoutAuditCommand.RunAsync(args, stdout, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }

        public static async Task Restore(string project)
        {
            using var restore = Process.Start(new ProcessStartInfo("dotnet", $"restore \"{project}\"") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            string output = await restore.StandardOutput.ReadToEndAsync();
            await restore.WaitForExitAsync();
            Assert.True(restore.ExitCode == 0, output);
        }

        /// <summary>The sample source compiled and loaded, so that tests measure its types with the runtime inspector.</summary>
        public static Assembly Build(string source)
        {
            string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetDirectoryName(p) == runtime)
                .Select(p => MetadataReference.CreateFromFile(p));
            var compilation = CSharpCompilation.Create(
                "App",
                new[] { CSharpSyntaxTree.ParseText(Attribute), CSharpSyntaxTree.ParseText(source) },
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
            stream.Position = 0;
            return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(stream);
        }

        public void Dispose() => Directory.Delete(Folder, recursive: true);

        private string CreateVersion(string name, string source)
        {
            string root = Path.Combine(Folder, name);
            Directory.CreateDirectory(Path.Combine(root, ".git"));
            string app = Path.Combine(root, "src", "App");
            Directory.CreateDirectory(app);
            File.WriteAllText(Path.Combine(app, "App.csproj"), Project);
            File.WriteAllText(Path.Combine(app, "AuditLayoutAttribute.cs"), Attribute);
            File.WriteAllText(Path.Combine(app, "Types.cs"), source);
            Restore(ProjectPath(root)).GetAwaiter().GetResult();
            return root;
        }
    }
}
