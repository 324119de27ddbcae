using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using LayoutAudit.Core;
using Xunit;

namespace LayoutAudit.Reports.Tests
{
    public sealed class JsonReportTests
    {
        private static IReadOnlyList<TypeLayout> AllSamples => new[] { SampleLayouts.Shrinks, SampleLayouts.Better, SampleLayouts.Derived, SampleLayouts.WithReference, SampleLayouts.Counters };

        [Fact]
        public void WritesTheContractNamesAndValues()
        {
            using var json = JsonDocument.Parse(JsonReport.Write(AllSamples, new[] { SampleLayouts.Broken }));
            var types = json.RootElement.GetProperty("types").EnumerateArray().ToList();
            Assert.Equal(
                new[] { "Sample.Better", "Sample.Counters", "Sample.Derived", "Sample.Shrinks", "Sample.WithReference" },
                types.Select(t => t.GetProperty("name").GetString()));

            var shrinks = types[3];
            Assert.Equal("struct", shrinks.GetProperty("kind").GetString());
            Assert.Equal(24, shrinks.GetProperty("size").GetInt32());
            Assert.Equal(8, shrinks.GetProperty("alignment").GetInt32());
            Assert.Equal(14, shrinks.GetProperty("padding").GetInt32());
            Assert.Equal(
                new[] { ("A", "byte", 0, 1), ("B", "long", 8, 8), ("C", "byte", 16, 1) },
                shrinks.GetProperty("fields").EnumerateArray().Select(f => (f.GetProperty("name").GetString()!, f.GetProperty("type").GetString()!, f.GetProperty("offset").GetInt32(), f.GetProperty("size").GetInt32())));
            Assert.Equal(new[] { "B", "A", "C" }, shrinks.GetProperty("suggestedOrder").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(16, shrinks.GetProperty("suggestedSize").GetInt32());
            Assert.Equal(
                new[] { (1, 7, false), (17, 7, true) },
                shrinks.GetProperty("holes").EnumerateArray().Select(h => (h.GetProperty("offset").GetInt32(), h.GetProperty("size").GetInt32(), h.GetProperty("trailing").GetBoolean())));

            var derived = types[2];
            Assert.Equal("class", derived.GetProperty("kind").GetString());
            Assert.Equal(40, derived.GetProperty("size").GetInt32());
            Assert.Equal(1, derived.GetProperty("referenceCount").GetInt32());
            Assert.Equal(8, derived.GetProperty("gcTrackedBytes").GetInt32());
            Assert.Equal("Sample.Base", derived.GetProperty("fields")[0].GetProperty("declaringType").GetString());
            Assert.Equal("reference", derived.GetProperty("fields")[1].GetProperty("gc").GetString());

            var withReference = types[4];
            Assert.Equal("sequential", withReference.GetProperty("declaredLayout").GetString());
            Assert.Equal("auto", withReference.GetProperty("appliedLayout").GetString());
            Assert.Equal("sequential not honoured: the struct holds references", withReference.GetProperty("notes")[0].GetString());

            var problem = Assert.Single(json.RootElement.GetProperty("problems").EnumerateArray());
            Assert.Equal("Sample.Broken", problem.GetProperty("name").GetString());
            Assert.Equal("typeLoadError", problem.GetProperty("kind").GetString());
            Assert.Equal(SampleLayouts.Broken.Message, problem.GetProperty("message").GetString());
        }

        [Fact]
        public void NoSuggestionIsNullNotAnEmptyList()
        {
            using var json = JsonDocument.Parse(JsonReport.Write(new[] { SampleLayouts.Better }, Array.Empty<LayoutProblem>()));
            var better = json.RootElement.GetProperty("types")[0];
            Assert.Equal(JsonValueKind.Null, better.GetProperty("suggestedOrder").ValueKind);
            Assert.Equal(JsonValueKind.Null, better.GetProperty("suggestedSize").ValueKind);
        }

        [Fact]
        public void OutputIsDeterministicWhateverTheInputOrder()
        {
            var problems = new[] { SampleLayouts.Broken, new LayoutProblem("Sample.A", LayoutProblemKind.Unknown, "unresolved") };
            string forward = JsonReport.Write(AllSamples, problems);
            string backward = JsonReport.Write(AllSamples.Reverse(), problems.Reverse());
            Assert.Equal(forward, backward);
            Assert.Equal(forward, JsonReport.Write(AllSamples, problems));
        }

        [Fact]
        public void AwkwardNamesAreEscapedAndSurviveAnyJsonReader()
        {
            var awkward = Awkward();
            string text = JsonReport.Write(new[] { awkward }, new[] { new LayoutProblem("Ns.\"Quoted\"\\Type", LayoutProblemKind.Unknown, "line one\nline two\u0000") });
            Assert.Contains("\\\"", text, StringComparison.Ordinal);
            Assert.Contains("\\\\", text, StringComparison.Ordinal);
            Assert.Contains("\\u0001", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\u0001", text, StringComparison.Ordinal);

            using var json = JsonDocument.Parse(text);
            var type = json.RootElement.GetProperty("types")[0];
            Assert.Equal(awkward.Name, type.GetProperty("name").GetString());
            Assert.Equal(awkward.DisplayName, type.GetProperty("displayName").GetString());
            Assert.Equal(awkward.Fields.Select(f => f.Name), type.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
            Assert.Equal(awkward.Fields.Select(f => f.TypeName), type.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("type").GetString()));
            Assert.Equal("line one\nline two\u0000", json.RootElement.GetProperty("problems")[0].GetProperty("message").GetString());
        }

        [Fact]
        public void ReaderRoundTripsEveryField()
        {
            var layouts = AllSamples.Append(Awkward()).ToList();
            var problems = new[] { SampleLayouts.Broken, new LayoutProblem("Sample.Interface", LayoutProblemKind.NotApplicable, "an interface has no instance layout"), new LayoutProblem("Sample.Unresolved", LayoutProblemKind.Unknown, "field 'X': type \"Missing\" not found") };

            var read = JsonReportReader.Read(JsonReport.Write(layouts, problems));

            Assert.Equal(layouts.OrderBy(l => l.Name, StringComparer.Ordinal), read.Layouts);
            Assert.Equal(problems.OrderBy(p => p.TypeName, StringComparer.Ordinal), read.Problems);
        }

        [Fact]
        public void ReaderAcceptsAReportWithOnlyTheContractFields()
        {
            const string contract = """
                {"types":[
                  {"name":"Ns.Outer+Inner","kind":"struct","size":16,"alignment":8,
                   "fields":[{"name":"B","type":"long","offset":0,"size":8},{"name":"A","type":"bool","offset":8,"size":1}],
                   "padding":7,"suggestedOrder":null,"suggestedSize":null,"someOtherTool":{"x":[1,2.5e3,true,null]}},
                  {"name":"Ns.Node","kind":"class","size":32,"alignment":8,
                   "fields":[{"name":"<Value>k__BackingField","type":"int","offset":8,"size":4}],
                   "padding":4,"suggestedOrder":["<Value>k__BackingField"],"suggestedSize":24}]}
                """;

            var read = JsonReportReader.Read(contract);

            Assert.Empty(read.Problems);
            var inner = read.Layouts[0];
            Assert.Equal("Ns.Outer+Inner", inner.Name);
            Assert.Equal("Ns.Outer.Inner", inner.DisplayName);
            Assert.Equal(TypeCategory.Struct, inner.Category);
            Assert.Equal((16, 8, 7, 0, 16), (inner.Size, inner.Alignment, inner.Padding, inner.DataStart, inner.DataEnd));
            Assert.Equal(new[] { ("B", "long", 0, 8), ("A", "bool", 8, 1) }, inner.Fields.Select(f => (f.Name, f.TypeName, f.Offset, f.Size)));
            Assert.All(inner.Fields, f => Assert.Equal("Ns.Outer+Inner", f.DeclaringType));
            Assert.False(inner.HasSuggestion);
            Assert.Empty(inner.SuggestedOrder);

            var node = read.Layouts[1];
            Assert.Equal(TypeCategory.Class, node.Category);
            Assert.Equal(LayoutKindName.Auto, node.AppliedLayout);
            Assert.Equal((8, 24), (node.DataStart, node.DataEnd));
            Assert.Equal(new[] { "<Value>k__BackingField" }, node.SuggestedOrder);
            Assert.Equal(8, node.Saving);
        }

        internal static TypeLayout Awkward() => new()
        {
            Name = "Ns.Outer`1+In\"ner\\[[System.Int32]]",
            DisplayName = "Ns.Outer<int>.In\"ner\\ \t\u0001\u001f é€😀 \u2028</script>",
            Category = TypeCategory.Struct,
            DeclaredLayout = LayoutKindName.Explicit,
            AppliedLayout = LayoutKindName.Explicit,
            Pack = 1,
            PointerSize = 4,
            Size = 9,
            Alignment = 1,
            DataEnd = 9,
            Fields = new EquatableArray<FieldLayout>(new[]
            {
                new FieldLayout("<P>k__BackingField", "(int, string)", 0, 4, 1, FieldGcKind.ContainsReferences, "Ns.Base\"1\""),
                new FieldLayout("naïve\nname", "delegate* unmanaged<int, void>", 4, 4, 1, FieldGcKind.ByRef, "Ns.Outer`1+In\"ner\\[[System.Int32]]"),
            }),
            Holes = new EquatableArray<PaddingHole>(new[] { new PaddingHole(8, 1, null, true) }),
            Padding = 1,
            TrailingPadding = 1,
            ReferenceCount = 2,
            GcTrackedBytes = 8,
            SuggestedOrder = new EquatableArray<string>(new[] { "naïve\nname", "<P>k__BackingField" }),
            SuggestedSize = 8,
            Notes = new EquatableArray<string>(new[] { "a \"quoted\" note\\", "" }),
        };
    }
}
