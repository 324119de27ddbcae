using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Extensions.Logging;

namespace LayoutAudit.Cli
{
    /// <summary>Where an audit's time went (docs/performance.md). <see cref="Diagnose"/> is one pass that binds every method
    /// body for the compiler's diagnostics and feeds the analyzers; the analyzers' share of it is measured apart.</summary>
    public sealed record AuditTimings(TimeSpan Load, TimeSpan Declare, TimeSpan Diagnose, TimeSpan Layout)
    {
        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "MSBuild load {0:F2} s, compilation (parse, declare, generators) {1:F2} s, compiler and analyzer diagnostics {2:F2} s, layouts {3:F2} s",
            Load.TotalSeconds,
            Declare.TotalSeconds,
            Diagnose.TotalSeconds,
            Layout.TotalSeconds);
    }

    /// <summary>Runs the layout engine and every analyzer over the projects of a workspace.</summary>
    public sealed class AuditRunner
    {
        private readonly ILogger _logger;
        private readonly ProgressDisplay _progress;

        public AuditRunner(ILogger logger, ProgressDisplay progress)
        {
            _logger = logger;
            _progress = progress;
        }

        public AuditTimings? Timings { get; private set; }

        public async Task<AuditReport> RunAsync(AuditWorkspace workspace, string root, bool allTypes, CancellationToken cancellationToken)
        {
            var analyzers = AnalyzerCatalog.Analyzers;
            var ruleIds = new HashSet<string>(analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id), StringComparer.Ordinal);
            _logger.LogInformation("{Count} analyzers: {Rules}", analyzers.Length, string.Join(", ", ruleIds.OrderBy(i => i, StringComparer.Ordinal)));

            var types = new List<AuditedType>();
            var problems = new List<AuditedProblem>();
            var findings = new List<Finding>();
            TimeSpan declare = TimeSpan.Zero, diagnose = TimeSpan.Zero, layoutTime = TimeSpan.Zero;
            for (int i = 0; i < workspace.Projects.Count; i++)
            {
                var project = workspace.Projects[i];
                string projectPath = Relative(root, project.FilePath!);
                _progress.Report($"[{i + 1}/{workspace.Projects.Count}] {project.Name}: compiling");
                var watch = Stopwatch.StartNew();
                var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new InputException(ExitCodes.LoadFailure, $"the project {projectPath} has no C# compilation");
                declare += watch.Elapsed;

                _progress.Report($"[{i + 1}/{workspace.Projects.Count}] {project.Name}: compiling and analyzing");
                watch.Restart();
                var withAnalyzers = compilation.WithAnalyzers(
                    analyzers,
                    new CompilationWithAnalyzersOptions(project.AnalyzerOptions, OnAnalyzerException, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false));
                var diagnostics = await withAnalyzers.GetAllDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
                diagnose += watch.Elapsed;

                var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !d.IsSuppressed && !ruleIds.Contains(d.Id)).ToList();
                if (errors.Count > 0)
                {
                    // Layouts of code that does not compile would be guesses.
                    throw new InputException(ExitCodes.LoadFailure, $"the project {projectPath} does not compile: {errors.Count} error{(errors.Count == 1 ? "" : "s")}, first {Describe(errors[0], root)}");
                }

                findings.AddRange(diagnostics
                    .Where(d => ruleIds.Contains(d.Id) && !d.IsSuppressed)
                    .Select(d => ToFinding(d, root, projectPath))
                    .OfType<Finding>());

                _progress.Report($"[{i + 1}/{workspace.Projects.Count}] {project.Name}: layouts");
                watch.Restart();
                var analyzed = withAnalyzers.Compilation;
                var engine = LayoutEngine.For(analyzed);
                foreach (var type in LayoutAuditCommand.SelectTypes(analyzed.Assembly, allTypes))
                {
                    var result = engine.Compute(type, cancellationToken);
                    if (result.Layout is { } layout)
                    {
                        types.Add(new AuditedType(analyzed.AssemblyName, layout));
                    }
                    else if (result.Problem is { } problem)
                    {
                        problems.Add(new AuditedProblem(analyzed.AssemblyName, problem));
                    }
                }

                layoutTime += watch.Elapsed;
            }

            _progress.Clear();
            Timings = new AuditTimings(workspace.LoadTime, declare, diagnose, layoutTime);
            _logger.LogInformation("time: {Timings}", Timings);

            var sortedFindings = findings
                .Distinct()
                .OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column)
                .ThenBy(f => f.Id, StringComparer.Ordinal).ThenBy(f => f.Message, StringComparer.Ordinal)
                .ToList();
            var projects = workspace.Projects.Select(p => Relative(root, p.FilePath!)).ToList();
            return new AuditReport(projects, types, problems, sortedFindings) { Rules = AnalyzerCatalog.Rules(analyzers) };
        }

        public static FindingSeverity? ToFindingSeverity(DiagnosticSeverity severity) => severity switch
        {
            DiagnosticSeverity.Error => FindingSeverity.Error,
            DiagnosticSeverity.Warning => FindingSeverity.Warning,
            DiagnosticSeverity.Info => FindingSeverity.Info,
            _ => null,
        };

        /// <summary>A path relative to the repository root with '/' separators; a path outside it stays absolute.</summary>
        public static string Relative(string root, string path)
        {
            string relative = Path.GetRelativePath(root, path);
            return (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetFullPath(path) : relative).Replace('\\', '/');
        }

        private static Finding? ToFinding(Diagnostic diagnostic, string root, string projectPath)
        {
            if (ToFindingSeverity(diagnostic.Severity) is not { } severity)
            {
                return null; // hidden: an IDE hint, not a finding
            }

            string message = AuditWorkspace.OneLine(diagnostic.GetMessage(CultureInfo.InvariantCulture));
            var span = diagnostic.Location.GetLineSpan();
            if (!diagnostic.Location.IsInSource || !span.IsValid || string.IsNullOrEmpty(span.Path))
            {
                // Code scanning needs a place for every result: a finding about the whole compilation goes on its project.
                return new Finding(diagnostic.Id, severity, message, projectPath, 1, 1) { EndLine = 1, EndColumn = 1 };
            }

            return new Finding(diagnostic.Id, severity, message, Relative(root, span.Path), span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1)
            {
                EndLine = span.EndLinePosition.Line + 1,
                EndColumn = span.EndLinePosition.Character + 1,
            };
        }

        private static string Describe(Diagnostic diagnostic, string root)
        {
            var span = diagnostic.Location.GetLineSpan();
            string where = diagnostic.Location.IsInSource && span.IsValid
                ? $"{Relative(root, span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): "
                : "";
            return $"{where}{diagnostic.Id}: {AuditWorkspace.OneLine(diagnostic.GetMessage(CultureInfo.InvariantCulture))}";
        }

        private void OnAnalyzerException(Exception exception, DiagnosticAnalyzer analyzer, Diagnostic diagnostic) =>
            _logger.LogWarning("analyzer {Analyzer} failed: {Message}", analyzer.GetType().Name, AuditWorkspace.OneLine(exception.Message));
    }
}
