using System.CommandLine;
using System.IO;
using System.Threading.Tasks;

namespace LayoutAudit.Cli
{
    /// <summary><c>layout-audit diff &lt;base.json&gt; &lt;head.json&gt;</c>: what changed between two audits.</summary>
    internal sealed class DiffCommand
    {
        private readonly Argument<string> _base = new("base") { Description = "The JSON report of the base version (audit --format json)." };
        private readonly Argument<string> _head = new("head") { Description = "The JSON report of the head version." };
        private readonly Option<string> _format = new("--format", "-f") { Description = "Output format; markdown is the pull-request comment.", DefaultValueFactory = _ => "text" };
        private readonly Option<string?> _output = new("--output", "-o") { Description = "Write to this file instead of standard output." };

        public DiffCommand()
        {
            _format.AcceptOnlyFromAmong("text", "markdown", "json");
            Command = new Command("diff", "Compare two JSON reports: types added and removed, size and padding growth and shrinkage, new and fixed findings.")
            {
                _base, _head, _format, _output,
            };
        }

        public Command Command { get; }

        public async Task<int> RunAsync(ParseResult parsed, TextWriter stdout)
        {
            string basePath = parsed.GetValue(_base) ?? "";
            string headPath = parsed.GetValue(_head) ?? "";

            // Both files are checked before either is parsed: a missing file is a usage error whichever it is.
            var baseText = ReportOutput.ReadReport(basePath);
            var headText = ReportOutput.ReadReport(headPath);
            var diff = LayoutDiff.Compute(AuditReportReader.Read(baseText, basePath), AuditReportReader.Read(headText, headPath));
            string text = (parsed.GetValue(_format) ?? "text") switch
            {
                "markdown" => DiffReport.Markdown(diff),
                "json" => DiffReport.Json(diff),
                _ => DiffReport.Text(diff),
            };
            await ReportOutput.WriteAsync(parsed.GetValue(_output), text, stdout).ConfigureAwait(false);
            return ExitCodes.Success;
        }
    }
}
