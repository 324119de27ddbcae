using System;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LayoutAudit.Generator.Tests
{
    /// <summary>The attributes ship as one assembly and the generator emits no types, so a project referencing another
    /// (both audited, even with InternalsVisibleTo between them) never sees two definitions of a type.</summary>
    public class TwoProjectTests
    {
        [Fact]
        public void TwoProjectsShareTheAttributes()
        {
            string libraryName = "Library" + Guid.NewGuid().ToString("N");
            string library = $$"""
                using LayoutAudit;
                [assembly: AuditAllocations]
                [assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Application")]
                namespace Lib
                {
                    [AuditLayout(MaxSize = 64)] public struct Sample { public byte Kind; public long Value; }
                    [AuditLayout] public class Counters { [WrittenBy("producer")] public long Produced; [WrittenBy("consumer")] public long Consumed; }
                    [AuditLayout] internal struct Internal { public int A; }
                }
                """;
            const string application = """
                using LayoutAudit;
                namespace App
                {
                    [AuditLayout(PaddingBudget = 16)] public struct HoldsSample { public Lib.Sample Sample; public byte Tail; }
                    [AuditLayout] internal struct UsesInternal { public Lib.Internal Inner; public short S; }
                    public static class Work { [AuditAllocations] public static int Run() => 1; }
                }
                """;

            var (libraryOutput, libraryDiagnostics, _) = GeneratorHarness.Run(GeneratorHarness.Compile(libraryName, new[] { library }));
            Assert.Empty(libraryDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
            using var libraryImage = new MemoryStream();
            Assert.True(libraryOutput.Emit(libraryImage).Success);
            var libraryReference = MetadataReference.CreateFromImage(libraryImage.ToArray());

            var applicationCompilation = GeneratorHarness.Compile("Application", new[] { application }, GeneratorHarness.References.Append(libraryReference));
            var (applicationOutput, applicationDiagnostics, run) = GeneratorHarness.Run(applicationCompilation);

            Assert.DoesNotContain(applicationDiagnostics, d => d.Id is "CS0433" or "CS0436");
            // The internal struct's fields are never assigned (CS0649): anything else is a finding.
            Assert.Empty(applicationDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS0649"));
            Assert.Equal(2, run.GeneratedSources.Length);

            // Both assemblies load side by side and each verifies its own predictions.
            var context = new AssemblyLoadContext(null, isCollectible: true);
            libraryImage.Position = 0;
            var libraryAssembly = context.LoadFromStream(libraryImage);
            using var applicationImage = new MemoryStream();
            Assert.True(applicationOutput.Emit(applicationImage).Success);
            applicationImage.Position = 0;
            var applicationAssembly = context.LoadFromStream(applicationImage);
            foreach (var type in new[] { libraryAssembly.GetType("Lib.Sample")!, libraryAssembly.GetType("Lib.Counters")!, applicationAssembly.GetType("App.HoldsSample")!, applicationAssembly.GetType("App.UsesInternal")! })
            {
                LayoutVerifier.Verify(type);
            }

            Assert.Equal(3, LayoutVerifier.GetPredictions(libraryAssembly).Count);
            Assert.Equal(2, LayoutVerifier.GetPredictions(applicationAssembly).Count);
        }
    }
}
