using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using LayoutAudit.Core;

namespace LayoutAudit.Cli
{
    /// <summary>Renders a <see cref="LayoutDiff"/>: text for a terminal, Markdown for the pull-request comment, JSON for tools.</summary>
    public static class DiffReport
    {
        /// <summary>The hidden line CI looks for to update its one comment instead of adding one per push.</summary>
        public const string StickyMarker = "<!-- layout-audit-diff -->";

        /// <summary>The one-line verdict: what got worse first, then what got better.</summary>
        public static string Verdict(LayoutDiff diff, bool markdown)
        {
            if (diff.IsEmpty)
            {
                return (markdown ? "✅ " : "OK: ") + "no layout changes and no new findings.";
            }

            var worse = new List<string>();
            var grown = diff.Grown.ToList();
            if (grown.Count > 0)
            {
                int bytes = grown.Sum(t => Math.Max(0, t.SizeDelta));
                string growth = bytes > 0 ? $"+{bytes} bytes" : $"+{grown.Sum(t => Math.Max(0, t.PaddingDelta))} bytes of padding";
                worse.Add($"{Bold(AuditTextReport.Count(grown.Count, "type") + " grew", markdown)} ({growth})");
            }

            if (diff.NewFindings.Count > 0)
            {
                worse.Add(Bold(AuditTextReport.Count(diff.NewFindings.Count, "new finding"), markdown));
            }

            var better = new List<string>();
            var shrunk = diff.Shrunk.ToList();
            if (shrunk.Count > 0)
            {
                int bytes = shrunk.Sum(t => Math.Min(0, t.SizeDelta));
                better.Add($"{AuditTextReport.Count(shrunk.Count, "type")} shrank{(bytes < 0 ? $" ({bytes} bytes)" : "")}");
            }

            int added = diff.Types.Count(t => t.Kind == TypeChangeKind.Added);
            int removed = diff.Types.Count(t => t.Kind == TypeChangeKind.Removed);
            int other = diff.Types.Count(t => t.Kind == TypeChangeKind.Changed && !t.Grew && !t.Shrank);
            if (added > 0)
            {
                better.Add(AuditTextReport.Count(added, "type") + " added");
            }

            if (removed > 0)
            {
                better.Add(AuditTextReport.Count(removed, "type") + " removed");
            }

            if (other > 0)
            {
                better.Add(AuditTextReport.Count(other, "type") + " reordered at the same size");
            }

            if (diff.FixedFindings.Count > 0)
            {
                better.Add(AuditTextReport.Count(diff.FixedFindings.Count, "finding") + " fixed");
            }

            string rest = string.Join(", ", better);
            if (worse.Count > 0)
            {
                return (markdown ? "❌ " : "REGRESSION: ") + string.Join(", ", worse) + (rest.Length > 0 ? "; " + rest : "") + ".";
            }

            return (markdown ? "✅ " : "OK: ") + "no type grew and no new findings; " + rest + ".";
        }

        public static string Text(LayoutDiff diff)
        {
            var text = new StringBuilder();
            text.Append(Verdict(diff, markdown: false)).Append('\n');
            if (diff.Types.Count > 0)
            {
                text.Append('\n');
                int width = diff.Types.Max(t => t.Name.Length);
                foreach (var change in diff.Types)
                {
                    text.Append(Label(change).PadRight(9)).Append(change.Name.PadRight(width)).Append("  ").Append(Numbers(change, "->")).Append('\n');
                }
            }

            AppendFindings(text, "new findings", diff.NewFindings);
            AppendFindings(text, "fixed findings", diff.FixedFindings);
            return text.ToString();
        }

        public static string Markdown(LayoutDiff diff)
        {
            var text = new StringBuilder();
            text.Append(StickyMarker).Append('\n');
            text.Append("### LayoutAudit\n\n").Append(Verdict(diff, markdown: true)).Append('\n');
            if (diff.Types.Count > 0)
            {
                text.Append("\n| change | type | size | Δ size | padding | Δ padding |\n|---|---|---:|---:|---:|---:|\n");
                foreach (var change in diff.Types)
                {
                    text.Append($"| {Label(change)} | `{Cell(change.Name)}` | {Pair(change.Base?.Size, change.Head?.Size)} | {Delta(change, change.SizeDelta)} | {Pair(change.Base?.Padding, change.Head?.Padding)} | {Delta(change, change.PaddingDelta)} |\n");
                }

                foreach (var change in diff.Types.Where(c => c.Head is not null))
                {
                    AppendDetails(text, change);
                }
            }

            AppendFindingTable(text, "New findings", diff.NewFindings);
            AppendFindingTable(text, "Fixed findings", diff.FixedFindings);
            return text.ToString();
        }

        public static string Json(LayoutDiff diff)
        {
            var root = new JsonObject
            {
                ["version"] = 1,
                ["regression"] = diff.IsRegression,
                ["verdict"] = Verdict(diff, markdown: false),
                ["types"] = new JsonArray(diff.Types.Select(c => (JsonNode)new JsonObject
                {
                    ["change"] = Label(c),
                    ["name"] = c.Name,
                    ["assembly"] = c.Assembly,
                    ["baseSize"] = c.Base?.Size,
                    ["headSize"] = c.Head?.Size,
                    ["sizeDelta"] = c.SizeDelta,
                    ["basePadding"] = c.Base?.Padding,
                    ["headPadding"] = c.Head?.Padding,
                    ["paddingDelta"] = c.PaddingDelta,
                }).ToArray()),
                ["newFindings"] = FindingsNode(diff.NewFindings),
                ["fixedFindings"] = FindingsNode(diff.FixedFindings),
            };
            return root.ToJsonString(AuditJson.Indented) + "\n";
        }

        private static string Label(TypeChange change) => change.Kind switch
        {
            TypeChangeKind.Added => "added",
            TypeChangeKind.Removed => "removed",
            _ => change.Grew ? "grew" : change.Shrank ? "shrank" : "changed",
        };

        private static string Numbers(TypeChange change, string arrow) => change.Kind switch
        {
            TypeChangeKind.Added => $"size {change.Head!.Size}, padding {change.Head.Padding}",
            TypeChangeKind.Removed => $"size {change.Base!.Size}, padding {change.Base.Padding}",
            _ => $"size {change.Base!.Size} {arrow} {change.Head!.Size} ({Signed(change.SizeDelta)}), padding {change.Base.Padding} {arrow} {change.Head.Padding} ({Signed(change.PaddingDelta)})",
        };

        private static string Pair(int? before, int? after) => (before, after) switch
        {
            (int b, int a) when a == b => a.ToString(CultureInfo.InvariantCulture),
            (int b, int a) => $"{b} → {a}",
            (null, int a) => a.ToString(CultureInfo.InvariantCulture),
            (int b, null) => $"~~{b}~~",
            _ => "",
        };

        private static string Delta(TypeChange change, int delta) =>
            change.Kind == TypeChangeKind.Changed ? (delta == 0 ? "0" : Signed(delta)) : "";

        private static string Signed(int delta) => delta > 0 ? "+" + delta.ToString(CultureInfo.InvariantCulture) : delta.ToString(CultureInfo.InvariantCulture);

        private static string Bold(string text, bool markdown) => markdown ? $"**{text}**" : text;

        private static string Cell(string text) => AuditMarkdownReport.CodeCell(text);

        /// <summary>A collapsible section: the type's fields now, with what moved, changed, arrived or left since the base.</summary>
        private static void AppendDetails(StringBuilder text, TypeChange change)
        {
            var head = change.Head!;
            string summary = change.Kind == TypeChangeKind.Added
                ? $"new, {head.Size} bytes, padding {head.Padding}"
                : $"{change.Base!.Size} → {head.Size} bytes ({Signed(change.SizeDelta)}), padding {change.Base.Padding} → {head.Padding} ({Signed(change.PaddingDelta)})";
            text.Append($"\n<details>\n<summary><code>{Html(head.DisplayName)}</code>: {summary}</summary>\n\n");
            text.Append("| offset | size | field | type | change |\n|---:|---:|---|---|---|\n");
            var before = (change.Base?.Fields ?? EquatableArray<FieldLayout>.Empty).GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var field in head.Fields)
            {
                string note = "";
                string offset = field.Offset.ToString(CultureInfo.InvariantCulture);
                string size = field.Size.ToString(CultureInfo.InvariantCulture);
                string type = $"`{Cell(field.TypeName)}`";
                if (change.Kind == TypeChangeKind.Changed && !before.TryGetValue(field.Name, out _))
                {
                    note = "added";
                }
                else if (before.TryGetValue(field.Name, out var old))
                {
                    var notes = new List<string>();
                    if (old.Offset != field.Offset)
                    {
                        offset = $"{old.Offset} → {field.Offset}";
                        notes.Add("moved");
                    }

                    if (old.Size != field.Size)
                    {
                        size = $"{old.Size} → {field.Size}";
                    }

                    if (old.TypeName != field.TypeName)
                    {
                        type = $"`{Cell(old.TypeName)}` → `{Cell(field.TypeName)}`";
                        notes.Add("retyped");
                    }

                    note = string.Join(", ", notes);
                }

                text.Append($"| {offset} | {size} | `{Cell(field.Name)}` | {type} | {note} |\n");
            }

            foreach (var gone in before.Values.Where(f => head.Fields.All(h => h.Name != f.Name)).OrderBy(f => f.Offset))
            {
                text.Append($"| ~~{gone.Offset}~~ | ~~{gone.Size}~~ | ~~`{Cell(gone.Name)}`~~ | `{Cell(gone.TypeName)}` | removed |\n");
            }

            var holes = head.Holes.Where(h => h.Size > 0).ToList();
            if (holes.Count > 0)
            {
                text.Append("\nPadding: ")
                    .Append(string.Join(", ", holes.Select(h => h.IsTrailing ? $"{h.Size} at the end" : $"{h.Size} at offset {h.Offset}{(h.AfterField is null ? "" : $" after `{Cell(h.AfterField)}`")}")))
                    .Append(".\n");
            }

            if (head.SuggestedSize is int suggested)
            {
                text.Append($"\nOrdered as `{Cell(string.Join(", ", head.SuggestedOrder))}` it would take {suggested} bytes (saves {head.Size - suggested}).\n");
            }

            text.Append("\n</details>\n");
        }

        private static void AppendFindings(StringBuilder text, string title, IReadOnlyList<Finding> findings)
        {
            if (findings.Count == 0)
            {
                return;
            }

            text.Append('\n').Append(title).Append(":\n");
            foreach (var finding in findings)
            {
                text.Append("  ").Append(AuditTextReport.Line(finding)).Append('\n');
            }
        }

        private static void AppendFindingTable(StringBuilder text, string title, IReadOnlyList<Finding> findings)
        {
            if (findings.Count == 0)
            {
                return;
            }

            text.Append($"\n#### {title} ({findings.Count})\n\n| rule | severity | where | message |\n|---|---|---|---|\n");
            foreach (var finding in findings)
            {
                text.Append(AuditMarkdownReport.FindingRow(finding)).Append('\n');
            }
        }

        private static JsonArray FindingsNode(IEnumerable<Finding> findings) => new(findings.Select(f => (JsonNode)new JsonObject
        {
            ["id"] = f.Id,
            ["severity"] = FindingSeverities.Name(f.Severity),
            ["message"] = f.Message,
            ["file"] = f.File,
            ["line"] = f.Line,
            ["column"] = f.Column,
        }).ToArray());

        private static string Html(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
