using System;
using System.IO;
using System.Linq;
using LayoutAudit;
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
