using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LayoutAudit.Reports;

namespace LayoutAudit.Cli
{
    /// <summary>
    /// The audit's JSON: the <c>layout</c> command's contract (each type and problem also naming its assembly), plus
    /// <c>projects</c> and a <c>findings</c> array. docs/schema/layout-audit.schema.json describes it.
    /// </summary>
    public static class AuditJson
    {
        internal static readonly JsonSerializerOptions Indented = new()
        {
            WriteIndented = true,
            NewLine = "\n",

            // Type names hold '+', '<' and '`'; the report is a file, not HTML, so they stay readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        public static string Write(AuditReport report)
        {
            var types = new List<(string Name, string Assembly, JsonNode Node)>();
            var problems = new List<(string Name, string Assembly, JsonNode Node)>();

            // The layout contract is JsonReport's; each assembly's part is written by it and tagged with the assembly.
            foreach (var group in report.Types.Select(t => t.Assembly).Concat(report.Problems.Select(p => p.Assembly)).Distinct())
            {
                var layouts = report.Types.Where(t => t.Assembly == group).Select(t => t.Layout);
                var failed = report.Problems.Where(p => p.Assembly == group).Select(p => p.Problem);
                var part = JsonNode.Parse(JsonReport.Write(layouts, failed))!.AsObject();
                types.AddRange(Detach(part["types"]!.AsArray()).Select(n => Tag(n, group)));
                problems.AddRange(Detach(part["problems"]!.AsArray()).Select(n => Tag(n, group)));
            }

            var root = new JsonObject
            {
                ["version"] = 1,
                ["projects"] = new JsonArray(report.Projects.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
                ["types"] = Sorted(types),
                ["problems"] = Sorted(problems),
                ["findings"] = new JsonArray(report.Findings.Select(FindingNode).ToArray()),
            };
            return root.ToJsonString(Indented) + "\n";
        }

        private static JsonNode FindingNode(Finding finding) => new JsonObject
        {
            ["id"] = finding.Id,
            ["severity"] = FindingSeverities.Name(finding.Severity),
            ["message"] = finding.Message,
            ["file"] = finding.File,
            ["line"] = finding.Line,
            ["column"] = finding.Column,
        };

        private static List<JsonNode> Detach(JsonArray array)
        {
            var items = array.Select(n => n!).ToList();
            array.Clear();
            return items;
        }

        private static (string Name, string Assembly, JsonNode Node) Tag(JsonNode node, string? assembly)
        {
            // Rebuilt rather than JsonObject.Insert, which lost properties after the insertion point when tried.
            var type = node.AsObject();
            var properties = type.ToList();
            type.Clear();
            var tagged = new JsonObject();
            foreach (var (name, value) in properties)
            {
                tagged[name] = value;
                if (name == "name" && assembly is not null)
                {
                    tagged["assembly"] = assembly;
                }
            }

            return ((string?)tagged["name"] ?? "", assembly ?? "", tagged);
        }

        private static JsonArray Sorted(List<(string Name, string Assembly, JsonNode Node)> items) =>
            new(items.OrderBy(i => i.Name, StringComparer.Ordinal).ThenBy(i => i.Assembly, StringComparer.Ordinal).Select(i => i.Node).ToArray());
    }
}
