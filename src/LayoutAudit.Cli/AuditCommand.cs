using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace LayoutAudit.Cli
{
    /// <summary><c>layout-audit audit &lt;sln|csproj|dir&gt;</c>: layouts and analyzer findings of a solution or project.</summary>
    internal sealed class AuditCommand
    {
        private readonly Argument<string> _path = new("path") { Description = "A .sln, .slnx or .csproj, or a directory holding exactly one." };
        private readonly Option<string> _format = new("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        private readonly Option<string?> _output = new("--output", "-o") { Description = "Write to this file instead of standard output." };
        private readonly Option<string?> _sarifOutput = new("--sarif-output") { Description = "Also write SARIF 2.1.0 to this file (one MSBuild load for the report and code scanning)." };
        private readonly Option<string> _failOn = new("--fail-on") { Description = "Exit with 1 on findings at this level or above; 'regression': only on new findings or layout growth against --baseline.", DefaultValueFactory = _ => "error" };
        private readonly Option<string?> _baseline = new("--baseline") { Description = "A JSON report of the base version, for --fail-on regression." };
        private readonly Option<bool> _allTypes = new("--all-types") { Description = "Lay out every struct and class, not only the [AuditLayout] ones." };
        private readonly Option<string?> _root = new("--root") { Description = "Make paths relative to this folder (default: the repository holding the input)." };
        private readonly Option<string[]> _properties = new("--property", "-p") { Description = "An MSBuild property for loading, NAME=VALUE (e.g. TargetFramework=net10.0); repeatable." };

        public AuditCommand()
        {
            _format.AcceptOnlyFromAmong("text", "markdown", "json", "sarif");
            _failOn.AcceptOnlyFromAmong("none", "warning", "error", "regression");
            Command = new Command("audit", "Load a solution or project through MSBuild, lay out its audited types, run every LayoutAudit analyzer, and report.")
            {
                _path, _format, _output, _sarifOutput, _failOn, _baseline, _allTypes, _root, _properties,
            };
        }

        public Command Command { get; }

        public async Task<int> RunAsync(ParseResult parsed, TextWriter stdout, TextWriter stderr, ILogger logger, CancellationToken cancellationToken)
        {
            string format = parsed.GetValue(_format) ?? "text";
            string failOn = parsed.GetValue(_failOn) ?? "error";
            string? baselinePath = parsed.GetValue(_baseline);
            bool allTypes = parsed.GetValue(_allTypes);
            if (failOn == "regression" && baselinePath is null)
            {
                throw new InputException(ExitCodes.BadInput, "--fail-on regression needs --baseline FILE (a JSON report of the base version)");
            }

            if (baselinePath is not null && failOn != "regression")
            {
                throw new InputException(ExitCodes.BadInput, "--baseline is only used with --fail-on regression");
            }

            var properties = ParseProperties(parsed.GetValue(_properties) ?? Array.Empty<string>());

            // Read the baseline before the long MSBuild load, so a bad one fails at once.
            var baseline = baselinePath is null ? null : AuditReportReader.Read(ReportOutput.ReadReport(baselinePath), baselinePath);
            string input = AuditWorkspace.ResolveInput(parsed.GetValue(_path) ?? "");
            string root = Path.GetFullPath(parsed.GetValue(_root) ?? AuditWorkspace.FindRoot(input));
            if (!Directory.Exists(root))
            {
                throw new InputException(ExitCodes.BadInput, $"--root folder not found: {root}");
            }

            var progress = ProgressDisplay.For(stderr);
            AuditReport report;
            try
            {
                progress.Report($"loading {Path.GetFileName(input)} with MSBuild");
                using var workspace = await AuditWorkspace.OpenAsync(input, properties, logger, cancellationToken).ConfigureAwait(false);
                report = await new AuditRunner(logger, progress).RunAsync(workspace, root, allTypes, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                progress.Clear();
            }

            string text = format switch
            {
                "json" => AuditJson.Write(report),
                "sarif" => SarifReport.Write(report),
                "markdown" => AuditMarkdownReport.Render(report),
                _ => AuditTextReport.Render(report, allTypes),
            };
            await ReportOutput.WriteAsync(parsed.GetValue(_output), text, stdout).ConfigureAwait(false);
            if (parsed.GetValue(_sarifOutput) is { } sarifPath)
            {
                await ReportOutput.WriteAsync(sarifPath, SarifReport.Write(report), stdout).ConfigureAwait(false);
            }

            string? failure = Failure(report, failOn, baseline);
            if (failure is null)
            {
                return ExitCodes.Success;
            }

            await stderr.WriteLineAsync("layout-audit: " + failure).ConfigureAwait(false);
            return ExitCodes.Findings;
        }

        /// <summary>Why the audit fails at the requested level, or null when it passes.</summary>
        internal static string? Failure(AuditReport report, string failOn, AuditReport? baseline)
        {
            if (failOn == "regression")
            {
                var diff = LayoutDiff.Compute(baseline!, report);
                return diff.IsRegression ? "regression against the baseline: " + DiffReport.Verdict(diff, markdown: false).Substring("REGRESSION: ".Length) : null;
            }

            FindingSeverity? threshold = failOn switch
            {
                "warning" => FindingSeverity.Warning,
                "error" => FindingSeverity.Error,
                _ => null,
            };
            if (threshold is not { } level)
            {
                return null;
            }

            int count = report.Findings.Count(f => f.Severity >= level);
            return count == 0 ? null : $"{AuditTextReport.Count(count, "finding")} at {FindingSeverities.Name(level)} level or above (--fail-on {failOn})";
        }

        private static IReadOnlyDictionary<string, string> ParseProperties(IEnumerable<string> assignments)
        {
            var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string assignment in assignments)
            {
                int equals = assignment.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new InputException(ExitCodes.BadInput, $"--property takes NAME=VALUE, not '{assignment}'");
                }

                properties[assignment.Substring(0, equals).Trim()] = assignment.Substring(equals + 1);
            }

            return properties;
        }
    }
}
