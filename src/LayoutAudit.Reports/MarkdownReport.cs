using System.Collections.Generic;
using System.Linq;
using System.Text;
using LayoutAudit.Core;

namespace LayoutAudit.Reports
{
    /// <summary>A Markdown document: a summary table of every type, then each type's fields and holes.</summary>
    public static class MarkdownReport
    {
        public static string Render(IEnumerable<TypeLayout> layouts, IEnumerable<LayoutProblem>? problems = null)
        {
            var sorted = layouts.OrderBy(l => l.Name, System.StringComparer.Ordinal).ToList();
            var text = new StringBuilder();
            text.AppendLine("# Layout report").AppendLine();
            text.AppendLine("| type | kind | size | padding | references | could be |");
            text.AppendLine("|---|---|---:|---:|---:|---|");
            foreach (var layout in sorted)
            {
                string couldBe = layout.SuggestedSize is int s ? $"{s} bytes (saves {layout.Size - s})" : "";
                text.AppendLine($"| `{Cell(layout.DisplayName)}` | {Kind(layout)} | {layout.Size} | {layout.Padding} | {layout.ReferenceCount} | {couldBe} |");
            }

            foreach (var problem in problems ?? Enumerable.Empty<LayoutProblem>())
            {
                text.AppendLine($"| `{Cell(problem.TypeName)}` | | no layout | | | {Cell(problem.Message)} |");
            }

            foreach (var layout in sorted)
            {
                text.AppendLine().AppendLine($"## `{layout.DisplayName}`").AppendLine();
                text.AppendLine($"{Kind(layout)}, {(layout.Category == TypeCategory.Class ? "heap size" : "size")} {layout.Size} bytes, alignment {layout.Alignment}, {TextReport.LayoutWords(layout)}.").AppendLine();
                foreach (string note in layout.Notes)
                {
                    text.AppendLine($"> {note}").AppendLine();
                }

                text.AppendLine("| offset | size | field | type |");
                text.AppendLine("|---:|---:|---|---|");
                var rows = layout.Fields.Select(f => (f.Offset, Line: $"| {f.Offset} | {f.Size} | `{Cell(f.Name)}` | `{Cell(f.TypeName)}` |"))
                    .Concat(layout.Holes.Select(h => (h.Offset, Line: $"| {h.Offset} | {h.Size} | *{(h.IsTrailing ? "padding" : "hole")}* | |")))
                    .OrderBy(r => r.Offset);
                foreach (var row in rows)
                {
                    text.AppendLine(row.Line);
                }

                if (layout.SuggestedSize is int suggested)
                {
                    text.AppendLine().AppendLine($"Reordered as `{string.Join(", ", layout.SuggestedOrder)}` it takes {suggested} bytes (saves {layout.Size - suggested}).");
                }
            }

            return text.ToString();
        }

        private static string Kind(TypeLayout layout) => layout.Category == TypeCategory.Class ? "class" : "struct";

        private static string Cell(string text) => text.Replace("|", "\\|").Replace("`", "'");
    }
}
