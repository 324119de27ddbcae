using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using LayoutAudit.Core;
using Xunit;

namespace LayoutAudit.Reports.Tests
{
    public sealed class TextReportTests
    {
        private static readonly Regex s_row = new(@"^    (?<type>\S+) (?<name>.+);\s+/\*\s+(?<offset>-?\d+)\s+(?<size>\d+) \*/$");

        [Fact]
        public void HeaderNamesKindTypeSizeAlignmentAndLayout()
        {
            var lines = Lines(TextReport.Render(SampleLayouts.Shrinks));
            Assert.Equal("struct Sample.Shrinks {", lines[0]);
            Assert.Equal("    /* size 24, alignment 8, sequential layout */", lines[1]);
            Assert.Equal("};", lines[^1]);
        }

        [Fact]
        public void EachFieldIsARowWithOffsetSizeNameAndType()
        {
            var rows = Rows(TextReport.Render(SampleLayouts.Shrinks));
            Assert.Equal(new[] { ("byte", "A", 0, 1), ("long", "B", 8, 8), ("byte", "C", 16, 1) }, rows);
        }

        [Fact]
        public void HolesAndTrailingPaddingAreMarkedWhereTheyAre()
        {
            var lines = Lines(TextReport.Render(SampleLayouts.Shrinks));
            int a = Index(lines, " A;");
            int hole = Index(lines, "/* XXX 7 bytes hole, try to pack */");
            int b = Index(lines, " B;");
            int c = Index(lines, " C;");
            int trailing = Index(lines, "/* XXX 7 bytes of padding at the end */");
            Assert.True(a < hole && hole < b && b < c && c < trailing, string.Join(Environment.NewLine, lines));
        }

        [Fact]
        public void TotalsCountSizeHolesPaddingAndReferences()
        {
            string text = TextReport.Render(SampleLayouts.Shrinks);
            Assert.Contains("/* size: 24, cachelines: 1, members: 3 */", text);
            Assert.Contains("/* sum members: 10, holes: 1, sum holes: 7, padding: 7 */", text);
            Assert.Contains("/* references: 0 (0 bytes the GC scans) */", text);
        }

        [Fact]
        public void SuggestedOrderAndSavingAreShownWhenThereIsOne()
        {
            Assert.Contains("/* suggested order: B, A, C -> 16 bytes (saves 8) */", TextReport.Render(SampleLayouts.Shrinks));
        }

        [Fact]
        public void NoSuggestionWhenTheOrderIsAlreadyTheSmallest()
        {
            string text = TextReport.Render(SampleLayouts.Better);
            Assert.DoesNotContain("suggested", text);
            Assert.DoesNotContain("hole,", text);
            Assert.Contains("/* XXX 7 bytes of padding at the end */", text);
        }

        [Fact]
        public void AClassShowsHeaderAndMethodTablePointerAndInheritedFields()
        {
            string text = TextReport.Render(SampleLayouts.Derived);
            var lines = Lines(text);
            Assert.Equal("class Sample.Derived {", lines[0]);
            Assert.Contains("heap size 40", lines[1]);
            Assert.Contains("8-byte header and method table included", lines[1]);
            Assert.Contains(lines, l => l.Contains("/* object header */", StringComparison.Ordinal) && l.Contains("-8", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("/* method table pointer */", StringComparison.Ordinal));
            Assert.Contains(("int", "X (from Sample.Base)", 8, 4), Rows(text));
            Assert.Contains(("string", "Name", 16, 8), Rows(text));
            Assert.Contains("/* XXX 4 bytes hole, try to pack */", text);
            Assert.Contains("/* references: 1 (8 bytes the GC scans) */", text);
        }

        [Fact]
        public void AppliedLayoutDifferentFromTheDeclaredOneIsExplained()
        {
            string text = TextReport.Render(SampleLayouts.WithReference);
            Assert.Contains("auto layout (declared sequential)", text);
            Assert.Contains("/* sequential not honoured: the struct holds references */", text);
            Assert.DoesNotContain("declared", TextReport.Render(SampleLayouts.Shrinks));
        }

        [Fact]
        public void CacheLineBoundariesAreMarkedAtTheDefault64Bytes()
        {
            var lines = Lines(TextReport.Render(SampleLayouts.Counters));
            int boundary = Index(lines, "--- cacheline 1 boundary (64 bytes) ---");
            Assert.True(Index(lines, " Reads;") < boundary && boundary < Index(lines, " Writes;"));
            Assert.Single(lines, l => l.Contains("cacheline", StringComparison.Ordinal) && l.Contains("boundary", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("XXX Misaligned straddles a 64-byte cache line", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("size: 136, cachelines: 3", StringComparison.Ordinal));
        }

        [Fact]
        public void CacheLineSizeIsConfigurable()
        {
            var lines = Lines(TextReport.Render(SampleLayouts.Counters, new TextReportOptions { CacheLineSize = 32 }));
            var boundaries = lines.Where(l => l.Contains("boundary", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
            Assert.Equal(
                new[] { "/* --- cacheline 1 boundary (32 bytes) --- */", "/* --- cacheline 2 boundary (64 bytes) --- */", "/* --- cacheline 3 boundary (96 bytes) --- */" },
                boundaries);
            Assert.True(Index(lines, "(96 bytes)") < Index(lines, " Misaligned;"));
            Assert.Contains(lines, l => l.Contains("XXX Misaligned straddles a 32-byte cache line", StringComparison.Ordinal));
        }

        [Fact]
        public void NoCacheLineMarkersWhenTheLineSizeIsZero()
        {
            string text = TextReport.Render(SampleLayouts.Counters, new TextReportOptions { CacheLineSize = 0 });
            Assert.DoesNotContain("cacheline", text);
            Assert.DoesNotContain("straddles", text);
            Assert.Contains("/* size: 136, members: 3 */", text);
        }

        [Fact]
        public void AProblemSaysWhyThereIsNoLayoutOnOneLine()
        {
            string text = TextReport.Render(SampleLayouts.Broken);
            string line = Assert.Single(Lines(text));
            Assert.Equal("Sample.Broken: no layout (the runtime cannot load it): field 'O' (a reference) overlaps field 'L' at offset 0", line);
            Assert.Contains("cannot be known", TextReport.Render(new LayoutProblem("Sample.Unresolved", LayoutProblemKind.Unknown, "field 'X' has an unresolved type")));
        }

        private static List<string> Lines(string text) =>
            text.Split(Environment.NewLine).Where(l => l.Length > 0).ToList();

        private static int Index(List<string> lines, string fragment)
        {
            int index = lines.FindIndex(l => l.Contains(fragment, StringComparison.Ordinal));
            Assert.True(index >= 0, $"no line contains '{fragment}':{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
            return index;
        }

        private static List<(string Type, string Name, int Offset, int Size)> Rows(string text) =>
            Lines(text).Select(l => s_row.Match(l)).Where(m => m.Success)
                .Select(m => (m.Groups["type"].Value, m.Groups["name"].Value, int.Parse(m.Groups["offset"].Value), int.Parse(m.Groups["size"].Value)))
                .ToList();
    }
}
