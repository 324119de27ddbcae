using System;
using System.Collections.Generic;
using System.Linq;
using LayoutAudit.Core;
using Xunit;

namespace LayoutAudit.Reports.Tests
{
    public sealed class MarkdownReportTests
    {
        private static readonly string s_report = MarkdownReport.Render(
            new[] { SampleLayouts.Shrinks, SampleLayouts.Better, SampleLayouts.Derived, SampleLayouts.WithReference },
            new[] { SampleLayouts.Broken });

        private static List<string> Lines => s_report.Split(Environment.NewLine).ToList();

        [Fact]
        public void SummaryTableListsEveryTypeWithSizePaddingAndSaving()
        {
            int header = Lines.IndexOf("| type | kind | size | padding | references | could be |");
            Assert.True(header > 0);
            var rows = Lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).ToList();
            Assert.Equal(
                new[]
                {
                    "| `Sample.Better` | struct | 16 | 7 | 0 |  |",
                    "| `Sample.Derived` | class | 40 | 11 | 1 |  |",
                    "| `Sample.Shrinks` | struct | 24 | 14 | 0 | 16 bytes (saves 8) |",
                    "| `Sample.WithReference` | struct | 16 | 3 | 1 |  |",
                    "| `Sample.Broken` | | no layout | | | field 'O' (a reference) overlaps field 'L' at offset 0 |",
                },
                rows);
        }

        [Fact]
        public void EachTypeHasASectionWithFieldsAndHolesInOffsetOrder()
        {
            int section = Lines.IndexOf("## `Sample.Shrinks`");
            Assert.True(section > 0);
            Assert.Contains("struct, size 24 bytes, alignment 8, sequential layout.", Lines[section + 2], StringComparison.Ordinal);
            int table = Lines.IndexOf("| offset | size | field | type |", section);
            var rows = Lines.Skip(table + 2).TakeWhile(l => l.StartsWith('|')).ToList();
            Assert.Equal(
                new[] { "| 0 | 1 | `A` | `byte` |", "| 1 | 7 | *hole* | |", "| 8 | 8 | `B` | `long` |", "| 16 | 1 | `C` | `byte` |", "| 17 | 7 | *padding* | |" },
                rows);
            Assert.Contains("Reordered as `B, A, C` it takes 16 bytes (saves 8).", s_report, StringComparison.Ordinal);
        }

        [Fact]
        public void ClassSectionsSayHeapSizeAndHeaderNotesAreQuoted()
        {
            Assert.Contains("class, heap size 40 bytes, alignment 8, auto layout, 8-byte header and method table included.", s_report, StringComparison.Ordinal);
            Assert.Contains("> sequential not honoured: the struct holds references", s_report, StringComparison.Ordinal);
            Assert.Contains("auto layout (declared sequential)", s_report, StringComparison.Ordinal);
        }

        [Fact]
        public void PipesInNamesDoNotBreakTables()
        {
            var layout = SampleLayouts.Better with
            {
                Name = "Sample.A|B",
                DisplayName = "Sample.A|B",
                Fields = new EquatableArray<FieldLayout>(new[] { new FieldLayout("X|Y", "long", 0, 8, 8, FieldGcKind.None, "Sample.A|B") }),
            };
            string text = MarkdownReport.Render(new[] { layout }, Array.Empty<LayoutProblem>());
            Assert.Contains("| `Sample.A\\|B` | struct |", text, StringComparison.Ordinal);
            Assert.Contains("| 0 | 8 | `X\\|Y` | `long` |", text, StringComparison.Ordinal);
        }
    }
}
