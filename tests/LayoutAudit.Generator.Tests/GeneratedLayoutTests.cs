using System;
using System.Linq;
using System.Reflection;
using LayoutAudit.Core;
using LayoutAudit.Reports;
using LayoutAudit.Runtime;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LayoutAudit.Generator.Tests
{
    /// <summary>What the generator emits for each audited type agrees with the layout engine, and the registered
    /// prediction agrees with the runtime (compiled, loaded and checked with LayoutVerifier).</summary>
    public class GeneratedLayoutTests
    {
        private const string Shapes = """
            using System;
            using System.Runtime.CompilerServices;
            using System.Runtime.InteropServices;
            using LayoutAudit;

            namespace Shapes
            {
                [AuditLayout] public struct Bad { public bool Flag; public long Value; }
                [AuditLayout] public struct Better { public long Value; public bool Flag; }
                [AuditLayout] public struct Shrinks { public byte A; public long B; public byte C; public int D; public byte E; }
                [AuditLayout] public struct WithReferences { public int Id; public string Name; public byte Kind; public object Tag; }
                [AuditLayout, StructLayout(LayoutKind.Explicit)] public struct Union { [FieldOffset(0)] public int I; [FieldOffset(0)] public float F; [FieldOffset(9)] public byte B; }
                [AuditLayout] public struct Empty { }
                [AuditLayout(CacheLineSize = 32)] public class Counters { [WrittenBy("producer")] public long Produced; public byte Mode; [WrittenBy("consumer")] public long Consumed; }
                [AuditLayout, StructLayout(LayoutKind.Sequential, Pack = 1)] public struct Packed { public byte A; public long B; }
                [AuditLayout] public ref struct Window { public Span<byte> Bytes; public int Start; public ref int Cursor; }
                [AuditLayout] public record struct Point(double X, byte Tag, double Y);
                [AuditLayout] public record Person(string Name, int Age, bool Active);
                public class Base { public byte B; }
                [AuditLayout] public sealed class Derived : Base { public long L; public byte C; }
                [AuditLayout] public struct Dates { public DateTime When; public byte Kind; public Guid Id; public decimal Amount; }
                public struct Pair<T> { public T First; public byte Second; }
                [AuditLayout] public struct HoldsPair { public Pair<long> Pair; public byte Tail; }
                [InlineArray(3)] public struct Three { private int _element; }
                [AuditLayout] public struct HoldsInline { public Three Values; public byte B; }
                [AuditLayout] public unsafe struct Fixed { public fixed byte Buffer[5]; public int N; }
                public class Outer
                {
                    [AuditLayout] private struct Hidden { public byte A; public int B; }
                    [AuditLayout(MaxSize = 1, PaddingBudget = 0)] internal struct Visible { public short S; public byte B; }
                }
            }

            [AuditLayout] struct InGlobalNamespace { public byte A; public short B; }
            """;

        private static readonly string[] s_typeNames =
        {
            "Shapes.Bad", "Shapes.Better", "Shapes.Shrinks", "Shapes.WithReferences", "Shapes.Union", "Shapes.Empty", "Shapes.Counters",
            "Shapes.Packed", "Shapes.Window", "Shapes.Point", "Shapes.Person", "Shapes.Derived", "Shapes.Dates", "Shapes.HoldsPair",
            "Shapes.HoldsInline", "Shapes.Fixed", "Shapes.Outer+Hidden", "Shapes.Outer+Visible", "InGlobalNamespace",
        };

        [Fact]
        public void EveryAuditedTypeGetsOneFileAndNoDiagnostics()
        {
            var (_, diagnostics, run) = GeneratorHarness.Run(Shapes);

            // Fields of the sample types are never assigned (CS0649, CS0169): anything else is a finding.
            Assert.Empty(diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id is not ("CS0649" or "CS0169")));
            Assert.Equal(s_typeNames.Select(LayoutReportEmitter.HintName).OrderBy(n => n), run.GeneratedSources.Select(s => s.HintName).OrderBy(n => n));
        }

        [Fact]
        public void RegisteredPredictionIsTheEnginesLayoutAndTheReportIsItsTextReport()
        {
            var (output, _, run) = GeneratorHarness.Run(Shapes);
            var engine = new LayoutEngine(output);
            var assembly = GeneratorHarness.Load(output);

            foreach (string name in s_typeNames)
            {
                var symbol = output.GetTypeByMetadataName(name)!;
                var expected = engine.Compute(symbol).Layout;
                Assert.NotNull(expected);

                var registered = LayoutVerifier.GetPrediction(assembly.GetType(name, throwOnError: true)!);
                Assert.Equal(expected, registered);

                string generated = GeneratorHarness.GeneratedText(run, name);
                int cacheLine = name == "Shapes.Counters" ? 32 : 64;
                foreach (string line in TextReport.Render(expected!, new TextReportOptions { CacheLineSize = cacheLine }).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0))
                {
                    Assert.Contains("// " + line, generated, StringComparison.Ordinal);
                }
            }
        }

        [Fact]
        public void EveryRegisteredPredictionMatchesTheRuntime()
        {
            var (output, _, _) = GeneratorHarness.Run(Shapes);
            var assembly = GeneratorHarness.Load(output);

            Assert.Equal(s_typeNames.Length, LayoutVerifier.GetPredictions(assembly).Count);
            foreach (string name in s_typeNames)
            {
                var type = assembly.GetType(name, throwOnError: true)!;
                LayoutVerifier.Verify(type);

                // The verifier compared something real: the measured layout has the predicted fields.
                var measured = RuntimeLayoutInspector.Measure(type);
                Assert.Equal(LayoutVerifier.GetPrediction(type).Fields.Count, measured.Fields.Count);
            }
        }

        [Fact]
        public void AccessibleTypesAreRegisteredWithTypeOfAndPrivateNestedOnesByName()
        {
            var (_, _, run) = GeneratorHarness.Run(Shapes);

            Assert.Contains("typeof(global::Shapes.Bad)", GeneratorHarness.GeneratedText(run, "Shapes.Bad"), StringComparison.Ordinal);
            Assert.Contains("typeof(global::Shapes.Outer.Visible)", GeneratorHarness.GeneratedText(run, "Shapes.Outer+Visible"), StringComparison.Ordinal);
            Assert.Contains("PredictedLayout(\"Shapes.Outer+Hidden\"", GeneratorHarness.GeneratedText(run, "Shapes.Outer+Hidden"), StringComparison.Ordinal);
        }

        [Fact]
        public void LimitsAreStatedInTheReport()
        {
            var (_, _, run) = GeneratorHarness.Run(Shapes);

            string visible = GeneratorHarness.GeneratedText(run, "Shapes.Outer+Visible");
            Assert.Contains("// MaxSize 1: EXCEEDED (LA0002)", visible, StringComparison.Ordinal);
            Assert.Contains("// PaddingBudget 0: EXCEEDED (LA0002)", visible, StringComparison.Ordinal);
            Assert.DoesNotContain("MaxSize", GeneratorHarness.GeneratedText(run, "Shapes.Bad"), StringComparison.Ordinal);
        }

        [Fact]
        public void VerifierListsEveryDifferenceOfAWrongPrediction()
        {
            const string source = "namespace Wrong { public struct S { public byte A; public long B; } }";
            var plain = GeneratorHarness.Compile("Plain" + Guid.NewGuid().ToString("N"), new[] { source });
            var truth = new LayoutEngine(plain).Compute(plain.GetTypeByMetadataName("Wrong.S")!).Layout!;
            var wrongField = truth.Fields[1] with { Offset = truth.Fields[1].Offset - 4 };
            var wrong = truth with { Size = truth.Size + 8, Fields = new EquatableArray<FieldLayout>(new[] { truth.Fields[0], wrongField }) };
            string registration = $"[assembly: LayoutAudit.PredictedLayout(typeof(Wrong.S), {Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(LayoutCodec.Encode(wrong), true)})]";
            var assembly = GeneratorHarness.Load(GeneratorHarness.Compile("Wrong" + Guid.NewGuid().ToString("N"), new[] { source, registration }));

            var mismatch = Assert.Throws<LayoutMismatchException>(() => LayoutVerifier.Verify(assembly.GetType("Wrong.S", throwOnError: true)!));

            Assert.Equal(2, mismatch.Differences.Count);
            Assert.Contains(mismatch.Differences, d => d.StartsWith("size: predicted " + (truth.Size + 8), StringComparison.Ordinal));
            Assert.Contains(mismatch.Differences, d => d.StartsWith("field B: predicted offset " + wrongField.Offset, StringComparison.Ordinal));
        }

        [Fact]
        public void NamesBeyondAsciiSurviveTheRegistration()
        {
            var (output, diagnostics, _) = GeneratorHarness.Run("using LayoutAudit; namespace Maße { [AuditLayout] public struct Größe { public byte Ä; public long Ö; } public class Äußere { [AuditLayout] private struct Innen { public byte A; public int B; } } }");
            Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
            var assembly = GeneratorHarness.Load(output);

            foreach (string name in new[] { "Maße.Größe", "Maße.Äußere+Innen" })
            {
                var type = assembly.GetType(name, throwOnError: true)!;
                LayoutVerifier.Verify(type);
                Assert.Equal(name, LayoutVerifier.GetPrediction(type).Name);
            }
        }

        [Fact]
        public void VerifierRefusesATypeWithoutPrediction()
        {
            var exception = Assert.Throws<InvalidOperationException>(() => LayoutVerifier.Verify<GeneratedLayoutTests>());

            Assert.Contains("no predicted layout", exception.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void WithoutTheRegistrationAttributeOnlyTheReportIsEmitted()
        {
            // A project that declares its own [AuditLayout] and does not reference LayoutAudit.Attributes.
            const string source = """
                namespace LayoutAudit { [System.AttributeUsage(System.AttributeTargets.Struct)] internal sealed class AuditLayoutAttribute : System.Attribute { } }
                [LayoutAudit.AuditLayout] public struct Own { public byte A; public long B; }
                """;
            var compilation = GeneratorHarness.Compile("Own" + Guid.NewGuid().ToString("N"), new[] { source }, GeneratorHarness.References.Where(r => r != GeneratorHarness.Attributes));

            var (_, diagnostics, run) = GeneratorHarness.Run(compilation);

            Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
            string generated = GeneratorHarness.GeneratedText(run, "Own");
            Assert.Contains("// struct Own {", generated, StringComparison.Ordinal);
            Assert.DoesNotContain("PredictedLayout", generated, StringComparison.Ordinal);
        }

        [Fact]
        public void GeneratedFilesAreSmall()
        {
            var (_, _, run) = GeneratorHarness.Run(Shapes);

            foreach (var source in run.GeneratedSources)
            {
                var lines = source.SourceText.Lines.Select(l => l.ToString()).Where(l => l.Length > 0).ToList();

                // Everything is a comment except the pragma and the one registration.
                Assert.Equal(2, lines.Count(l => !l.StartsWith("//", StringComparison.Ordinal)));
            }
        }
    }
}
