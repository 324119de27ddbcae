using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace LayoutAudit.Allocations.Tests
{
    /// <summary>The analyzer against the IL: for every corpus snippet, the allocations the compiler emits (per statement
    /// and kind) and the analyzer's findings must agree, except where a documented reason says the IL site never
    /// allocates or is outside user code.</summary>
    public sealed class IlProofTests
    {
        private static readonly Lazy<IReadOnlyDictionary<string, SnippetComparison>> s_results = new(() => IlProof.Run(IlProofCorpus.All));
        private readonly ITestOutputHelper _output;

        public IlProofTests(ITestOutputHelper output) => _output = output;

        public static IEnumerable<object[]> Snippets() => IlProofCorpus.All.Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(Snippets))]
        public void AnalyzerAndIlAgree(Snippet snippet)
        {
            var comparison = s_results.Value[snippet.Name];
            if (snippet.KnownGap is null)
            {
                Assert.True(comparison.Agrees, comparison.Explain());
            }
            else
            {
                Assert.False(comparison.Agrees, snippet.Name + " now agrees with the IL: remove its known gap (" + snippet.KnownGap + ")");
            }
        }

        [Fact]
        public void TheCorpusCoversEveryRuleAndItsLookAlikes()
        {
            var results = s_results.Value.Values.ToList();
            var ruleIds = results.SelectMany(r => r.Diagnostics).Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToList();
            Assert.Equal(IlProof.AllAnalyzers().SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal), ruleIds);
            Assert.Contains(results, r => r.IlTotal == 0 && r.FindingTotal == 0);

            int il = results.Sum(r => r.IlTotal);
            int findings = results.Sum(r => r.FindingTotal);
            int matched = results.Sum(r => r.Matched);
            _output.WriteLine($"{results.Count} snippets, {il} IL allocation sites, {findings} finding sites, {matched} matched: recall {100.0 * matched / il:F1}%, precision {100.0 * matched / findings:F1}%");
            foreach (var reason in results.SelectMany(r => r.Sites).Where(s => s.Excluded is not null).GroupBy(s => s.Excluded))
            {
                _output.WriteLine($"  {reason.Count(),4} IL sites without a finding, by design: {reason.Key}");
            }

            Assert.True(il > 0 && findings > 0);
        }
    }
}
