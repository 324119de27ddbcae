using System;
using System.IO;
using System.Linq;
using System.Reflection;
using LayoutAudit;
using LayoutAudit.Reports;
using LayoutAudit.Runtime;
using SeedLayouts;
using Xunit;

namespace LayoutAudit.Examples.Tests
{
    /// <summary>What examples/SeedLayouts says about each seed type holds in the running runtime.</summary>
    public class SeedLayoutsTests
    {
        private static readonly Type[] s_seedTypes =
        {
            typeof(Bad), typeof(Better), typeof(BucketHeader), typeof(LogSlice), typeof(SliceHeader), typeof(Present), typeof(SharedCounters), typeof(SeparatedCounters),
        };

        public static TheoryData<Type> SeedTypes => new(s_seedTypes);

        [Theory]
        [MemberData(nameof(SeedTypes))]
        public void PredictionIsTheRuntimesLayout(Type type)
        {
            var exception = Record.Exception(() => LayoutVerifier.Verify(type));

            Assert.Null(exception);
        }

        [Fact]
        public void BadAndBetterAreTheSameSizeSoNeitherGetsASuggestion()
        {
            Assert.Equal(RuntimeLayoutInspector.Measure<Bad>().Size, RuntimeLayoutInspector.Measure<Better>().Size);
            Assert.Null(LayoutVerifier.GetPrediction(typeof(Bad)).SuggestedSize);
            Assert.Null(LayoutVerifier.GetPrediction(typeof(Better)).SuggestedSize);
        }

        [Fact]
        public void BucketHeaderReallyShrinksInTheSuggestedOrder()
        {
            var predicted = LayoutVerifier.GetPrediction(typeof(BucketHeader));
            var reordered = RuntimeLayoutInspector.Measure<BucketHeaderInSuggestedOrder>();

            // The suggestion is a real struct's order, and that struct is as small as suggested.
            Assert.Equal(reordered.Fields.Select(f => f.Name), predicted.SuggestedOrder);
            Assert.Equal(reordered.Size, predicted.SuggestedSize);
            Assert.True(reordered.Size < RuntimeLayoutInspector.Measure<BucketHeader>().Size);
        }

        [Fact]
        public void OnlyTheSeparatedCountersAreACacheLineApart()
        {
            var predicted = LayoutVerifier.GetPrediction(typeof(SeparatedCounters));
            int cacheLine = new AuditLayoutAttribute().CacheLineSize;

            Assert.True(Distance(RuntimeLayoutInspector.Measure<SharedCounters>()) < cacheLine);
            Assert.True(Distance(RuntimeLayoutInspector.Measure<SeparatedCounters>()) >= cacheLine);
            Assert.Equal(Distance(RuntimeLayoutInspector.Measure<SeparatedCounters>()), predicted.Fields[1].Offset - predicted.Fields[0].Offset);
        }

        [Fact]
        public void TheExamplePrintsEveryReportAndEveryCheckPasses()
        {
            var output = new StringWriter();
            var original = Console.Out;
            Console.SetOut(output);
            int exitCode;
            try
            {
                exitCode = Program.Main();
            }
            finally
            {
                Console.SetOut(original);
            }

            string text = output.ToString();
            Assert.Equal(0, exitCode);
            foreach (var type in s_seedTypes)
            {
                Assert.Contains(type.FullName!, text, StringComparison.Ordinal);
            }

            Assert.Equal(s_seedTypes.Length, text.Split('\n').Count(line => line.TrimEnd('\r') == "runtime: same layout"));
        }

        [Fact]
        public void TheBuildReportsListEverySeedTypeAtItsRuntimeSize()
        {
            string output = ExampleOutputFolder();
            var report = JsonReportReader.Read(File.ReadAllText(Path.Combine(output, "layout-audit.json")));
            string markdown = File.ReadAllText(Path.Combine(output, "layout-audit.md"));

            Assert.Empty(report.Problems);
            Assert.Equal(s_seedTypes.Select(t => t.FullName).OrderBy(n => n, StringComparer.Ordinal), report.Layouts.Select(l => l.Name).OrderBy(n => n, StringComparer.Ordinal));
            foreach (var type in s_seedTypes)
            {
                Assert.Equal(RuntimeLayoutInspector.Measure(type).Size, report.Layouts.Single(l => l.Name == type.FullName).Size);
                Assert.Contains("`" + type.FullName + "`", markdown, StringComparison.Ordinal);
            }
        }

        /// <summary>examples/SeedLayouts/bin/&lt;configuration&gt;/net10.0/, where its build writes the reports.</summary>
        private static string ExampleOutputFolder()
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "LayoutAudit.sln")))
            {
                folder = folder.Parent;
            }

            Assert.NotNull(folder);
            string configuration = typeof(Bad).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            return Path.Combine(folder!.FullName, "examples", "SeedLayouts", "bin", configuration, "net10.0");
        }

        private static int Distance(MeasuredLayout counters) =>
            counters.Fields.Single(f => f.Name == "Consumed").Offset - counters.Fields.Single(f => f.Name == "Produced").Offset;

        /// <summary><see cref="BucketHeader"/>'s fields in the order the generator suggests for it.</summary>
        public struct BucketHeaderInSuggestedOrder
        {
            public long Count;
            public uint HashSeed;
            public ushort Overflows;
            public byte Flags;
            public byte LogBuckets;
        }
    }
}
