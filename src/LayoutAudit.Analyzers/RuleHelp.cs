namespace LayoutAudit.Analyzers
{
    /// <summary>Ids, categories and help links shared by the layout rules (the ids are a contract with users'
    /// .editorconfig files and suppressions).</summary>
    internal static class RuleHelp
    {
        public const string LayoutCategory = "Layout";
        public const string PerformanceCategory = "Performance";

        public static string LinkFor(string id) => "https://github.com/layoutaudit/layoutaudit/blob/main/docs/rules/" + id + ".md";
    }
}
