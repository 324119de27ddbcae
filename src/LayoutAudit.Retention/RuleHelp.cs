namespace LayoutAudit.Retention
{
    /// <summary>Categories and help links of the retention rules. The ids (LA2001-LA2006) are a contract with
    /// users' .editorconfig files and suppressions: never renumber them.</summary>
    internal static class RuleHelp
    {
        public const string RetentionCategory = "Retention";
        public const string PerformanceCategory = "Performance";

        public static string LinkFor(string id) => "https://github.com/layoutaudit/layoutaudit/blob/main/docs/rules/" + id + ".md";
    }
}
