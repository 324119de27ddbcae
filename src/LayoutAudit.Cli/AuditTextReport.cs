using System.Globalization;
using System.Linq;
using System.Text;
using LayoutAudit.Reports;

namespace LayoutAudit.Cli
{
    /// <summary>The audit for a terminal: a summary line, each type's pahole-style table, then the findings as compilers print them.</summary>
    public static class AuditTextReport
    {
        public static string Render(AuditReport report, bool allTypes)
        {
            var text = new StringBuilder();
            text.Append("layout-audit: ").Append(Summary(report)).Append('\n');
            if (report.Types.Count == 0 && report.Problems.Count == 0)
            {
                text.Append(allTypes
                    ? "no structs or classes found\n"
                    : "no [AuditLayout] types found (use --all-types for every struct and class)\n");
            }

            foreach (var type in report.Types.OrderBy(t => t.Layout.Name, System.StringComparer.Ordinal))
            {
                text.Append('\n').Append(TextReport.Render(type.Layout));
            }

            if (report.Problems.Count > 0)
            {
                text.Append('\n');
                foreach (var problem in report.Problems)
                {
                    text.Append(TextReport.Render(problem.Problem));
                }
            }

            if (report.Findings.Count > 0)
            {
                text.Append("\nfindings:\n");
                foreach (var finding in report.Findings)
                {
                    text.Append(Line(finding)).Append('\n');
                }
            }

            return text.ToString();
        }

        /// <summary>"2 projects, 3 types, 4 findings (1 error, 3 warnings)".</summary>
        public static string Summary(AuditReport report)
        {
            string findings = Count(report.Findings.Count, "finding");
            var bySeverity = new[] { FindingSeverity.Error, FindingSeverity.Warning, FindingSeverity.Info }
                .Select(s => (Severity: s, Count: report.Findings.Count(f => f.Severity == s)))
                .Where(s => s.Count > 0)
                .Select(s => s.Severity == FindingSeverity.Info ? $"{s.Count} info" : Count(s.Count, FindingSeverities.Name(s.Severity)))
                .ToList();
            if (bySeverity.Count > 0)
            {
                findings += $" ({string.Join(", ", bySeverity)})";
            }

            string types = Count(report.Types.Count, "type");
            if (report.Problems.Count > 0)
            {
                types += $" ({report.Problems.Count} without a layout)";
            }

            return $"{Count(report.Projects.Count, "project")}, {types}, {findings}";
        }

        /// <summary>A finding as compilers print a diagnostic: <c>file(line,column): severity ID: message</c>.</summary>
        public static string Line(Finding finding) =>
            string.Create(CultureInfo.InvariantCulture, $"{finding.File}({finding.Line},{finding.Column}): {FindingSeverities.Name(finding.Severity)} {finding.Id}: {finding.Message}");

        internal static string Count(int count, string noun) =>
            string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");
    }
}
