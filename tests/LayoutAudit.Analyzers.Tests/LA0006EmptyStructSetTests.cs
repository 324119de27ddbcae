using System.Threading.Tasks;
using Xunit;
using Verify = LayoutAudit.Analyzers.Tests.AnalyzerVerifier<LayoutAudit.Analyzers.EmptyStructSetAnalyzer>;

namespace LayoutAudit.Analyzers.Tests
{
    public sealed class LA0006EmptyStructSetTests
    {
        [Fact]
        public async Task SuggestsAHashSetForADictionaryOfEmptyStructs()
        {
            const string source = """
                using System.Collections.Generic;

                public struct Present { }

                public static class Uses
                {
                    public static int Count()
                    {
                        var seen = {|#0:new Dictionary<string, Present>()|};
                        Dictionary<int, System.ValueTuple> tuples = {|#1:new()|};
                        return seen.Count + tuples.Count;
                    }
                }
                """;
            // The runtime gives the empty struct a byte: the message must say so.
            int size = Runtime.Measure("public struct Present { }", "Present").Size;
            Assert.Equal(1, size);
            await Verify.VerifyAsync(
                source,
                Verify.Diagnostic(EmptyStructSetAnalyzer.Rule).WithLocation(0).WithArguments("Dictionary<string, Present>", "Present", size, "string"),
                Verify.Diagnostic(EmptyStructSetAnalyzer.Rule).WithLocation(1).WithArguments("Dictionary<int, ValueTuple>", "ValueTuple", size, "int"));
        }

        [Fact]
        public async Task StaysSilentWhenTheValuesCarryData()
        {
            const string source = """
                using System.Collections.Generic;

                public struct Present { }
                public struct Flag { public bool On; }
                public class Marker { }

                public static class Uses
                {
                    public static object Make() => new object[]
                    {
                        new Dictionary<string, Flag>(), new Dictionary<string, bool>(), new Dictionary<string, Marker>(),
                        new HashSet<string>(), new Dictionary<Present, int>(), new List<Present>(),
                    };
                }
                """;
            await Verify.VerifyAsync(source);
        }
    }
}
