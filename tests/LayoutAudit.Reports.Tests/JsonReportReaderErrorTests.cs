using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace LayoutAudit.Reports.Tests
{
    public sealed class JsonReportReaderErrorTests
    {
        private const string ValidType = """{"name":"N","kind":"struct","size":1,"alignment":1,"fields":[],"padding":0}""";

        public static IEnumerable<object[]> Malformed() => new[]
        {
            // Not JSON.
            new object[] { "", 1, 1, "the text is empty" },
            new object[] { "  \n   ", 2, 4, "the text is empty" },
            new object[] { """{"types": [}""", 1, 12, "unexpected '}', expected a value" },
            new object[] { """{"types": [],}""", 1, 14, "expected a property name" },
            new object[] { """{"types": []} x""", 1, 15, "after the end of the JSON value" },
            new object[] { "{\n  \"types\" []}", 2, 11, "expected ':'" },
            new object[] { "{\"types\": [\n  \"A\n\"]}", 2, 5, "control character U+000A" },
            new object[] { """{"types": ["a\q"]}""", 1, 14, "invalid escape '\\q'" },
            new object[] { """{"types": ["\u12G4"]}""", 1, 13, "invalid \\u escape" },
            new object[] { """{"types": ["abc""", 1, 16, "unterminated string" },
            new object[] { """{"types": [01]}""", 1, 13, "expected ',' or ']'" },
            new object[] { """{"types": [-]}""", 1, 13, "expected a digit" },
            new object[] { """{"types": [1.]}""", 1, 14, "after '.'" },
            new object[] { """{"types": [tru]}""", 1, 12, "expected a value" },
            new object[] { """{"types": [1 2]}""", 1, 14, "expected ',' or ']'" },
            new object[] { """{"types": []""", 1, 13, "expected ',' or '}'" },
            new object[] { new string('[', 100), 1, 65, "nested deeper than 64 levels" },

            // JSON, but not a layout report.
            new object[] { "[]", 1, 1, "the report: expected an object, found an array" },
            new object[] { "{}", 1, 1, "the report: missing \"types\"" },
            new object[] { """{"types": {}}""", 1, 11, "types: expected an array, found an object" },
            new object[] { """{"types": [3]}""", 1, 12, "types[0]: expected an object, found a number" },
            new object[] { """{"types": [{"kind":"struct"}]}""", 1, 12, "types[0]: missing \"name\"" },
            new object[] { """{"types": [{"name":"N","kind":"union"}]}""", 1, 31, "types[0].kind: expected one of \"struct\", \"class\", found \"union\"" },
            new object[] { """{"types": [{"name":"N","kind":"str\nuct"}]}""", 1, 31, "found \"str\\u000auct\"" },
            new object[] { """{"types": [{"name":"N","kind":"struct","size":"24"}]}""", 1, 47, "types[0].size: expected a number, found a string" },
            new object[] { """{"types": [{"name":"N","kind":"struct","size":2.5}]}""", 1, 47, "types[0].size: expected a whole number of bytes, found 2.5" },
            new object[] { """{"types": [{"name":"N","kind":"struct","size":99999999999}]}""", 1, 47, "expected a whole number of bytes, found 99999999999" },
            new object[] { """{"types": [{"name":"N","kind":"struct","size":1,"alignment":1,"padding":0}]}""", 1, 12, "types[0]: missing \"fields\"" },
            new object[] { """{"types": [{"name":"N","kind":"struct","size":1,"alignment":1,"padding":0,"fields":[{"name":"F","type":"int","size":4}]}]}""", 1, 85, "types[0].fields[0]: missing \"offset\"" },
            new object[] { """{"types": [{"name":"N","kind":"struct","size":1,"alignment":1,"padding":0,"fields":[],"suggestedOrder":[1]}]}""", 1, 105, "types[0].suggestedOrder[0]: expected a string, found a number" },
            new object[] { "{\"types\": [" + ValidType + "], \"problems\": [{\"name\": null}]}", 1, 103, "problems[0]: missing \"name\"" },
        };

        [Theory]
        [MemberData(nameof(Malformed))]
        public void MalformedInputSaysWhereAndWhy(string json, int line, int column, string reason)
        {
            var error = Assert.Throws<JsonReportException>(() => JsonReportReader.Read(json));
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
            Assert.Equal((line, column), (error.Line, error.Column));
            Assert.StartsWith($"line {line}, column {column}: ", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
        }

        [Fact]
        public void EveryTruncationOfAReportFailsCleanly()
        {
            string json = JsonReport.Write(new[] { SampleLayouts.Shrinks, SampleLayouts.Derived, JsonReportTests.Awkward() }, new[] { SampleLayouts.Broken });
            for (int length = 0; length < json.TrimEnd().Length; length++)
            {
                Assert.Throws<JsonReportException>(() => JsonReportReader.Read(json.Substring(0, length)));
            }
        }

        [Fact]
        public void RandomDamageNeverCrashesTheReader()
        {
            // Any failure must be a JsonReportException: never an index, null or overflow exception.
            string json = JsonReport.Write(new[] { SampleLayouts.Shrinks, SampleLayouts.Derived, JsonReportTests.Awkward() }, new[] { SampleLayouts.Broken });
            const string damage = "{}[],:\"\\0123456789-+.eEtrufalsn \n\u0001\uD800x";
            var random = new Random(20261123);
            int failures = 0;
            for (int attempt = 0; attempt < 5000; attempt++)
            {
                var chars = json.ToCharArray();
                for (int hits = random.Next(1, 4); hits > 0; hits--)
                {
                    chars[random.Next(chars.Length)] = damage[random.Next(damage.Length)];
                }

                try
                {
                    JsonReportReader.Read(new string(chars));
                }
                catch (JsonReportException)
                {
                    failures++;
                }
            }

            // Most damage breaks the report; some lands harmlessly in whitespace or inside a string.
            Assert.InRange(failures, 1000, 5000);
        }

        [Fact]
        public void NullInputIsAnArgumentError()
        {
            Assert.Throws<ArgumentNullException>(() => JsonReportReader.Read(null!));
        }
    }
}
