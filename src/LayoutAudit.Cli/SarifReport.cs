using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;

namespace LayoutAudit.Cli
{
    /// <summary>
    /// SARIF 2.1.0 for code scanning: every rule with its metadata, and each finding at a path relative to the repository
    /// root (<c>%SRCROOT%</c>), which is how code scanning places annotations on a pull request's diff.
    /// </summary>
    public static class SarifReport
    {
        public const string SchemaUri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
        public const string SourceRoot = "%SRCROOT%";

        public static string Write(AuditReport report)
        {
            var rules = report.Rules.ToList();
            foreach (var id in report.Findings.Select(f => f.Id).Distinct().Where(id => rules.All(r => r.Id != id)).OrderBy(id => id, StringComparer.Ordinal))
            {
                rules.Add(new RuleInfo(id, id, "", FindingSeverities.HelpUriFor(id), FindingSeverity.Warning, ""));
            }

            var ruleIndex = rules.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
            var driver = new JsonObject
            {
                ["name"] = "LayoutAudit",
                ["informationUri"] = "https://github.com/layoutaudit/layoutaudit",
                ["semanticVersion"] = ToolVersion(),
                ["rules"] = new JsonArray(rules.Select(RuleNode).ToArray()),
            };
            var run = new JsonObject
            {
                ["tool"] = new JsonObject { ["driver"] = driver },
                ["columnKind"] = "utf16CodeUnits",
                ["results"] = new JsonArray(report.Findings.Select(f => ResultNode(f, ruleIndex[f.Id])).ToArray()),
            };
            var log = new JsonObject
            {
                ["$schema"] = SchemaUri,
                ["version"] = "2.1.0",
                ["runs"] = new JsonArray(run),
            };
            return log.ToJsonString(AuditJson.Indented) + "\n";
        }

        /// <summary>The SARIF level of a severity (SARIF has no "info": its "note" is the same thing).</summary>
        public static string Level(FindingSeverity severity) => severity switch
        {
            FindingSeverity.Error => "error",
            FindingSeverity.Warning => "warning",
            _ => "note",
        };

        private static JsonNode RuleNode(RuleInfo rule)
        {
            var node = new JsonObject
            {
                ["id"] = rule.Id,
                ["name"] = Identifier(rule.Title, rule.Id),
                ["shortDescription"] = new JsonObject { ["text"] = rule.Title },
            };
            if (rule.Description.Length > 0)
            {
                node["fullDescription"] = new JsonObject { ["text"] = rule.Description };
            }

            node["helpUri"] = rule.HelpUri;
            node["help"] = new JsonObject
            {
                ["text"] = $"{rule.Title}. See {rule.HelpUri}",
                ["markdown"] = $"{rule.Title}. See [{rule.Id}]({rule.HelpUri}).",
            };
            node["defaultConfiguration"] = new JsonObject { ["level"] = Level(rule.DefaultSeverity) };
            var tags = new JsonArray("layoutaudit");
            if (rule.Category.Length > 0)
            {
                tags.Add(rule.Category.ToLowerInvariant());
            }

            node["properties"] = new JsonObject { ["category"] = rule.Category, ["tags"] = tags };
            return node;
        }

        private static JsonNode ResultNode(Finding finding, int ruleIndex)
        {
            var region = new JsonObject { ["startLine"] = finding.Line, ["startColumn"] = finding.Column };
            if (finding.EndLine > 0)
            {
                region["endLine"] = finding.EndLine;
                region["endColumn"] = finding.EndColumn;
            }

            var artifact = new JsonObject { ["uri"] = Uri(finding.File) };
            if (!finding.File.StartsWith('/'))
            {
                artifact["uriBaseId"] = SourceRoot;
            }

            return new JsonObject
            {
                ["ruleId"] = finding.Id,
                ["ruleIndex"] = ruleIndex,
                ["level"] = Level(finding.Severity),
                ["message"] = new JsonObject { ["text"] = finding.Message },
                ["locations"] = new JsonArray(new JsonObject
                {
                    ["physicalLocation"] = new JsonObject { ["artifactLocation"] = artifact, ["region"] = region },
                }),
            };
        }

        /// <summary>A relative URI reference: each path segment escaped, '/' kept; an absolute path becomes a file URI.</summary>
        private static string Uri(string path)
        {
            string escaped = string.Join("/", path.Split('/').Select(System.Uri.EscapeDataString));
            return path.StartsWith('/') ? "file://" + escaped : escaped;
        }

        /// <summary>SARIF's rule name is an identifier: the title in PascalCase ("Field order wastes padding" is FieldOrderWastesPadding).</summary>
        private static string Identifier(string title, string fallback)
        {
            var name = new StringBuilder();
            foreach (string word in title.Split(new[] { ' ', '-', '_', '\'', '.', ',', ':', '(', ')', '[', ']' }, StringSplitOptions.RemoveEmptyEntries))
            {
                string letters = new(word.Where(char.IsLetterOrDigit).ToArray());
                if (letters.Length > 0)
                {
                    name.Append(char.ToUpperInvariant(letters[0])).Append(letters, 1, letters.Length - 1);
                }
            }

            return name.Length > 0 && char.IsLetter(name[0]) ? name.ToString() : fallback;
        }

        private static string ToolVersion()
        {
            string version = typeof(SarifReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            int plus = version.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? version : version.Substring(0, plus);
        }
    }
}
