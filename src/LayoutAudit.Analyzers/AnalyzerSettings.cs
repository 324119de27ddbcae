using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LayoutAudit.Analyzers
{
    /// <summary>The <c>layout_audit.*</c> keys of .editorconfig.</summary>
    internal static class AnalyzerSettings
    {
        public const string AllSequentialStructsKey = "layout_audit.LA0001.all_sequential_structs";
        public const string LargeStructThresholdKey = "layout_audit.LA0004.threshold";
        public const string AllocationScopeKey = "layout_audit.allocation_scope";
        public const string CacheLineSizeKey = "layout_audit.cache_line_size";

        /// <summary>The Framework Design Guidelines' limit for a struct's instance size, in bytes.</summary>
        public const int DefaultLargeStructThreshold = 16;

        public const int DefaultCacheLineSize = 64;

        public static string? Get(AnalyzerOptions options, SyntaxTree? tree, string key)
        {
            var provider = options.AnalyzerConfigOptionsProvider;
            if (tree is not null && provider.GetOptions(tree).TryGetValue(key, out string? value))
            {
                return value;
            }

            return provider.GlobalOptions.TryGetValue(key, out string? global) ? global : null;
        }

        public static bool GetBool(AnalyzerOptions options, SyntaxTree? tree, string key) =>
            bool.TryParse(Get(options, tree, key)?.Trim(), out bool value) && value;

        /// <summary>A positive integer, or <paramref name="fallback"/> when the key is absent or malformed.</summary>
        public static int GetPositiveInt(AnalyzerOptions options, SyntaxTree? tree, string key, int fallback) =>
            int.TryParse(Get(options, tree, key)?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;

        /// <summary>Whether any file of the compilation (or the global options) sets <paramref name="key"/> to
        /// <paramref name="expected"/>: lets a rule stay unregistered when nothing turns it on.</summary>
        public static bool AnyTreeSets(Compilation compilation, AnalyzerOptions options, string key, string expected)
        {
            if (IsValue(Get(options, null, key), expected))
            {
                return true;
            }

            foreach (var tree in compilation.SyntaxTrees)
            {
                if (options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(key, out string? value) && IsValue(value, expected))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsValue(string? value, string expected) =>
            value is not null && string.Equals(value.Trim(), expected, System.StringComparison.OrdinalIgnoreCase);
    }
}
