using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LayoutAudit.Fuzz.Tests
{
    /// <summary>Every LayoutAudit option on for every file: all rules run, whatever their scope.</summary>
    internal sealed class AllRulesOptions : AnalyzerConfigOptionsProvider
    {
        private static readonly Options s_options = new(new Dictionary<string, string>
        {
            ["layout_audit.allocation_scope"] = "all",
            ["layout_audit.LA0001.all_sequential_structs"] = "true",
            ["layout_audit.LA0004.threshold"] = "8",
        }.ToImmutableDictionary());

        public static AnalyzerOptions Analyzer { get; } = new(ImmutableArray<AdditionalText>.Empty, new AllRulesOptions());

        public override AnalyzerConfigOptions GlobalOptions => s_options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => s_options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => s_options;

        private sealed class Options : AnalyzerConfigOptions
        {
            private readonly ImmutableDictionary<string, string> _values;

            public Options(ImmutableDictionary<string, string> values) => _values = values;

            public override bool TryGetValue(string key, out string value) => _values.TryGetValue(key, out value!);
        }
    }
}
