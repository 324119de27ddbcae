using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Allocations
{
    /// <summary>What every allocation rule shares: its category, help link, and the property that tells which
    /// allocating IL instructions a finding stands for.</summary>
    internal static class RuleHelp
    {
        public const string Category = "Allocation";

        /// <summary>Diagnostic property naming the IL allocation sites a finding accounts for, comma-separated (for example
        /// <c>string,array</c>); empty when the allocation happens only at run time (an async state machine moving to the heap).</summary>
        public const string SitesProperty = "AllocationSites";

        public static string LinkFor(string id) => "https://github.com/layoutaudit/layoutaudit/blob/main/docs/rules/" + id + ".md";

        public static DiagnosticDescriptor Rule(string id, string title, string description, DiagnosticSeverity severity = DiagnosticSeverity.Warning, bool enabledByDefault = true) => new(
            id,
            title,
            "{0}",
            Category,
            severity,
            enabledByDefault,
            description,
            LinkFor(id));

        public static ImmutableDictionary<string, string?> Sites(params string[] sites) =>
            ImmutableDictionary<string, string?>.Empty.Add(SitesProperty, string.Join(",", sites));
    }

    /// <summary>The names of allocating IL instructions, as <see cref="RuleHelp.SitesProperty"/> lists them.</summary>
    internal static class Site
    {
        public const string Box = "box";
        public const string Array = "array";
        public const string Delegate = "delegate";
        public const string Closure = "closure";
        public const string StateMachine = "state-machine";
        public const string AnonymousType = "anonymous-type";
        public const string Object = "object";
        public const string String = "string";
        public const string Linq = "linq";
        public const string Enumerator = "enumerator";
    }
}
