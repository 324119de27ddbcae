using System.Linq;
using System.Text;
using LayoutAudit.Reports;

namespace LayoutAudit.Cli
{
    /// <summary>The audit as a Markdown document: a summary, the findings table, then the layout report one heading level down.</summary>
    public static class AuditMarkdownReport
    {
        public static string Render(AuditReport report)
        {
            var text = new StringBuilder();
            text.Append("# LayoutAudit\n\n").Append(AuditTextReport.Summary(report)).Append(".\n");
            if (report.Findings.Count > 0)
            {
                text.Append("\n## Findings\n\n");
                text.Append("| rule | severity | where | message |\n|---|---|---|---|\n");
                foreach (var finding in report.Findings)
                {
                    text.Append(FindingRow(finding)).Append('\n');
                }
            }

            if (report.Types.Count > 0 || report.Problems.Count > 0)
            {
                text.Append('\n');
                string layouts = MarkdownReport.Render(report.Types.Select(t => t.Layout), report.Problems.Select(p => p.Problem));
                foreach (string line in layouts.Replace("\r\n", "\n").Split('\n'))
                {
                    text.Append(line.StartsWith('#') ? "#" + line : line).Append('\n');
                }
            }

            return text.ToString().TrimEnd('\n') + "\n";
        }

        /// <summary>A table row: the rule linked to its page, the place, the message.</summary>
        internal static string FindingRow(Finding finding) =>
            $"| [{finding.Id}]({FindingSeverities.HelpUriFor(finding.Id)}) | {FindingSeverities.Name(finding.Severity)} | `{CodeCell(finding.File)}:{finding.Line}` | {TextCell(finding.Message)} |";

        /// <summary>Text for a table cell: '|' would end the cell, and '&lt;Key&gt;' would vanish as an HTML tag.</summary>
        internal static string TextCell(string text) => CodeCell(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        /// <summary>Text for a code span in a table cell: only '|' needs escaping (entities would show literally).</summary>
        internal static string CodeCell(string text) => text.Replace("|", "\\|").Replace("\n", " ").Replace("`", "'");
    }
}
