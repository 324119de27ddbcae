using System;
using System.Collections.Generic;
using LayoutAudit.Core;

namespace LayoutAudit.Cli
{
    /// <summary>How serious a finding is, after .editorconfig and the project's options have had their say.</summary>
    public enum FindingSeverity
    {
        Info,
        Warning,
        Error,
    }

    /// <summary>One diagnostic an analyzer reported. <paramref name="File"/> is relative to the repository root with
    /// '/' separators, so that reports of two checkouts compare and code scanning can place it; lines and columns are 1-based.</summary>
    public sealed record Finding(string Id, FindingSeverity Severity, string Message, string File, int Line, int Column)
    {
        /// <summary>Where the flagged span ends (SARIF regions); not part of the JSON contract.</summary>
        public int EndLine { get; init; }

        public int EndColumn { get; init; }

        /// <summary>What matches a finding across two versions of the code: lines move when code is edited above it.</summary>
        public (string Id, string File, string Message) MatchKey => (Id, File, Message);
    }

    /// <summary>A laid-out type and the assembly it came from (null in reports of the <c>layout</c> command).</summary>
    public sealed record AuditedType(string? Assembly, TypeLayout Layout)
    {
        public string Key => (Assembly ?? "") + "|" + Layout.Name;
    }

    /// <summary>A type with no layout, and the assembly it came from.</summary>
    public sealed record AuditedProblem(string? Assembly, LayoutProblem Problem);

    /// <summary>What code scanning shows about a rule.</summary>
    public sealed record RuleInfo(string Id, string Title, string Description, string HelpUri, FindingSeverity DefaultSeverity, string Category);

    /// <summary>Everything one audit found: the layouts of the audited types and the analyzers' findings.</summary>
    public sealed record AuditReport(
        IReadOnlyList<string> Projects,
        IReadOnlyList<AuditedType> Types,
        IReadOnlyList<AuditedProblem> Problems,
        IReadOnlyList<Finding> Findings)
    {
        /// <summary>Every rule the analyzers can report, fired or not (SARIF lists them all).</summary>
        public IReadOnlyList<RuleInfo> Rules { get; init; } = Array.Empty<RuleInfo>();
    }

    internal static class FindingSeverities
    {
        public static string Name(FindingSeverity severity) => severity switch
        {
            FindingSeverity.Error => "error",
            FindingSeverity.Warning => "warning",
            _ => "info",
        };

        public static FindingSeverity? Parse(string? name) => name switch
        {
            "error" => FindingSeverity.Error,
            "warning" => FindingSeverity.Warning,
            "info" => FindingSeverity.Info,
            _ => null,
        };

        public static string HelpUriFor(string id) => "https://github.com/layoutaudit/layoutaudit/blob/main/docs/rules/" + id + ".md";
    }
}
