using System;
using System.IO;
using Xunit;

namespace LayoutAudit.Package.Tests
{
    /// <summary>
    /// Packs LayoutAudit into a folder feed and builds a fresh solution against it, once for all the tests: a library
    /// and an application that references it, both using the attributes. The folder's nuget.config adds the feed and
    /// inherits the machine's configured sources; packages restore into a private folder, so no cached older
    /// LayoutAudit can stand in for the one just packed.
    /// </summary>
    public sealed class PackagedProject : IDisposable
    {
        public const string Version = "0.0.1-e2e";

        private const string LibraryProject = """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="LayoutAudit" Version="VERSION" />
              </ItemGroup>
            </Project>
            """;

        private const string LibrarySource = """
            using LayoutAudit;

            namespace Lib
            {
                [AuditLayout] public struct Sample { public long Value; public int Count; }

                [AuditLayout]
                public class Counters
                {
                    [WrittenBy("producer")] public long Produced;
                    [WrittenBy("consumer")] public long Consumed;
                }
            }
            """;

        private const string ApplicationProject = """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="LayoutAudit" Version="VERSION" />
                <ProjectReference Include="../Lib/Lib.csproj" />
              </ItemGroup>
            </Project>
            """;

        private const string ApplicationSource = """
            using LayoutAudit;

            namespace App
            {
                [AuditLayout] public struct Wasteful { public bool A; public long B; public bool C; }

                [AuditLayout] public record Order(string Customer, int Quantity, bool Paid);

                public static class Program
                {
                    [AuditAllocations]
                    public static int Main()
                    {
                        LayoutVerifier.Verify<Wasteful>();
                        LayoutVerifier.Verify<Order>();
                        LayoutVerifier.Verify<Lib.Sample>();
                        LayoutVerifier.Verify<Lib.Counters>();
                        int verified = 4;
                        System.Console.WriteLine("verified {0} layouts", verified);
                        return 0;
                    }
                }
            }
            """;

        public PackagedProject()
        {
            Root = Path.Combine(Path.GetTempPath(), "layoutaudit-e2e-" + Guid.NewGuid().ToString("N"));
            string feed = Path.Combine(Root, "feed");
            Directory.CreateDirectory(feed);

            string package = Path.Combine(DotNet.RepositoryRoot, "src", "LayoutAudit.Package", "LayoutAudit.Package.csproj");
            (PackExitCode, PackOutput) = DotNet.Run(Root, "pack", package, "--no-build", "-c", DotNet.Configuration, "-o", feed, "-p:Version=" + Version);
            PackagePath = Path.Combine(feed, $"LayoutAudit.{Version}.nupkg");

            // Stop MSBuild's upward search for Directory.Build.* files at this folder.
            File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />");
            File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <config>
                    <add key="globalPackagesFolder" value="{Path.Combine(Root, "packages")}" />
                  </config>
                  <packageSources>
                    <add key="layoutaudit-local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            Write("Lib/Lib.csproj", LibraryProject.Replace("VERSION", Version));
            Write("Lib/Shapes.cs", LibrarySource);
            Write("App/App.csproj", ApplicationProject.Replace("VERSION", Version));
            Write("App/Program.cs", ApplicationSource);

            (BuildExitCode, BuildOutput) = DotNet.Run(Root, "build", Path.Combine("App", "App.csproj"));
        }

        public string Root { get; }

        public string PackagePath { get; }

        public int PackExitCode { get; }

        public string PackOutput { get; }

        public int BuildExitCode { get; }

        public string BuildOutput { get; }

        public string ApplicationOutput => Path.Combine(Root, "App", "bin", "Debug", "net10.0");

        public string LibraryOutput => Path.Combine(Root, "Lib", "bin", "Debug", "net10.0");

        public string GeneratedFile(string project, string hintName) =>
            Path.Combine(Root, project, "obj", "Debug", "net10.0", "generated", "LayoutAudit.Generator", "LayoutAudit.Generator.AuditLayoutGenerator", hintName);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A build server may still hold a file; the temp folder is the system's to clean.
            }
        }

        private void Write(string relativePath, string content)
        {
            string path = Path.Combine(Root, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }
}
