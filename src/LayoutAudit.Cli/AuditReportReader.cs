using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using LayoutAudit.Core;

namespace LayoutAudit.Cli
{
    /// <summary>
    /// Reads a report written by <c>audit --format json</c> (or by <c>layout --format json</c>, which has no findings)
    /// back into an <see cref="AuditReport"/>. The contract's fields are required, the rest read when present. Anything
    /// else is an <see cref="InputException"/> with <see cref="ExitCodes.BadReport"/> naming the file and the JSON path.
    /// </summary>
    public static class AuditReportReader
    {
        private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip };

        /// <summary>Reads a report from a file's bytes: UTF-8, with or without a byte order mark, or UTF-16 with one.</summary>
        public static AuditReport Read(ReadOnlyMemory<byte> content, string source)
        {
            var bytes = content.Span;

            // Windows PowerShell 5 writes redirected output as UTF-16; a byte order mark says so.
            if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
            {
                var encoding = bytes[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
                return Read(encoding.GetString(bytes.Slice(2)), source);
            }

            if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
            {
                content = content.Slice(3);
            }

            return Read(Parse(() => JsonDocument.Parse(content, Options), source), source);
        }

        public static AuditReport Read(string json, string source) => Read(Parse(() => JsonDocument.Parse(json, Options), source), source);

        /// <summary>
        /// Parses with <see cref="JsonDocumentOptions.MaxDepth"/> left at its default of 64 (a report is 4 deep): deeper
        /// nesting is refused as invalid JSON, so a hostile file cannot recurse the reader into a stack overflow.
        /// </summary>
        private static JsonDocument Parse(Func<JsonDocument> parse, string source)
        {
            try
            {
                return parse();
            }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                throw new InputException(ExitCodes.BadReport, $"{source} is not valid JSON: {OneLine(e.Message)}");
            }
        }

        private static AuditReport Read(JsonDocument document, string source)
        {
            using (document)
            {
                var reader = new Shape(source);
                var root = reader.Object(document.RootElement, "the document");
                if (!root.TryGetProperty("types", out var types))
                {
                    throw new InputException(ExitCodes.BadReport, $"{source} is not a layout-audit report: it has no \"types\" array");
                }

                if (root.TryGetProperty("version", out var version) && (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int v) || v != 1))
                {
                    throw reader.Wrong("version", "must be 1 (this tool reads version 1 reports)");
                }

                var projects = reader.OptionalArray(root, "projects", "").Select((p, i) => reader.String(p, $"projects[{i}]")).ToList();
                var layouts = reader.Array(types, "types").Select((t, i) => ReadType(reader, t, $"types[{i}]")).ToList();
                var problems = reader.OptionalArray(root, "problems", "").Select((p, i) => ReadProblem(reader, p, $"problems[{i}]")).ToList();
                var findings = reader.OptionalArray(root, "findings", "").Select((f, i) => ReadFinding(reader, f, $"findings[{i}]")).ToList();
                return new AuditReport(projects, layouts, problems, findings);
            }
        }

        private static AuditedType ReadType(Shape reader, JsonElement element, string path)
        {
            var type = reader.Object(element, path);
            string name = reader.RequiredString(type, "name", path);
            var category = reader.Enum(type, "kind", path, required: true, TypeCategory.Struct, ("struct", TypeCategory.Struct), ("class", TypeCategory.Class));
            int pointerSize = reader.OptionalInt(type, "pointerSize", path) ?? 8;
            int size = reader.RequiredInt(type, "size", path);
            var fields = reader.Array(reader.Required(type, "fields", path), path + ".fields")
                .Select((f, i) => ReadField(reader, f, $"{path}.fields[{i}]", name))
                .ToList();
            var holes = reader.OptionalArray(type, "holes", path).Select((h, i) => ReadHole(reader, h, $"{path}.holes[{i}]")).ToList();
            bool isClass = category == TypeCategory.Class;
            var layout = new TypeLayout
            {
                Name = name,
                DisplayName = reader.OptionalString(type, "displayName", path) ?? name,
                Category = category,
                PointerSize = pointerSize,
                DeclaredLayout = reader.Enum(type, "declaredLayout", path, required: false, isClass ? LayoutKindName.Auto : LayoutKindName.Sequential, LayoutKinds),
                AppliedLayout = reader.Enum(type, "appliedLayout", path, required: false, isClass ? LayoutKindName.Auto : LayoutKindName.Sequential, LayoutKinds),
                Pack = reader.OptionalInt(type, "pack", path) ?? 0,
                Size = size,
                Alignment = reader.OptionalInt(type, "alignment", path) ?? 1,
                DataStart = isClass ? pointerSize : 0,
                DataEnd = isClass ? size - pointerSize : size,
                Fields = new EquatableArray<FieldLayout>(fields),
                Holes = new EquatableArray<PaddingHole>(holes),
                Padding = reader.RequiredInt(type, "padding", path),
                TrailingPadding = reader.OptionalInt(type, "trailingPadding", path) ?? 0,
                ReferenceCount = reader.OptionalInt(type, "referenceCount", path) ?? 0,
                GcTrackedBytes = reader.OptionalInt(type, "gcTrackedBytes", path) ?? 0,
                SuggestedOrder = new EquatableArray<string>(reader.OptionalArray(type, "suggestedOrder", path).Select((s, i) => reader.String(s, $"{path}.suggestedOrder[{i}]"))),
                SuggestedSize = reader.OptionalInt(type, "suggestedSize", path),
                Notes = new EquatableArray<string>(reader.OptionalArray(type, "notes", path).Select((s, i) => reader.String(s, $"{path}.notes[{i}]"))),
            };
            return new AuditedType(reader.OptionalString(type, "assembly", path), layout);
        }

        private static readonly (string, LayoutKindName)[] LayoutKinds =
        {
            ("auto", LayoutKindName.Auto), ("sequential", LayoutKindName.Sequential), ("explicit", LayoutKindName.Explicit),
        };

        private static FieldLayout ReadField(Shape reader, JsonElement element, string path, string typeName)
        {
            var field = reader.Object(element, path);
            int size = reader.RequiredInt(field, "size", path);
            return new FieldLayout(
                reader.RequiredString(field, "name", path),
                reader.RequiredString(field, "type", path),
                reader.RequiredInt(field, "offset", path),
                size,
                reader.OptionalInt(field, "alignment", path) ?? Math.Max(1, Math.Min(size, 8)),
                reader.Enum(field, "gc", path, required: false, FieldGcKind.None, ("none", FieldGcKind.None), ("reference", FieldGcKind.Reference), ("containsReferences", FieldGcKind.ContainsReferences), ("byRef", FieldGcKind.ByRef)),
                reader.OptionalString(field, "declaringType", path) ?? typeName);
        }

        private static PaddingHole ReadHole(Shape reader, JsonElement element, string path)
        {
            var hole = reader.Object(element, path);
            return new PaddingHole(
                reader.RequiredInt(hole, "offset", path),
                reader.RequiredInt(hole, "size", path),
                reader.OptionalString(hole, "after", path),
                reader.OptionalBool(hole, "trailing", path) ?? false);
        }

        private static AuditedProblem ReadProblem(Shape reader, JsonElement element, string path)
        {
            var problem = reader.Object(element, path);
            var kind = reader.Enum(problem, "kind", path, required: false, LayoutProblemKind.Unknown, ("typeLoadError", LayoutProblemKind.TypeLoadError), ("notApplicable", LayoutProblemKind.NotApplicable), ("unknown", LayoutProblemKind.Unknown));
            return new AuditedProblem(
                reader.OptionalString(problem, "assembly", path),
                new LayoutProblem(reader.RequiredString(problem, "name", path), kind, reader.OptionalString(problem, "message", path) ?? ""));
        }

        private static Finding ReadFinding(Shape reader, JsonElement element, string path)
        {
            var finding = reader.Object(element, path);
            var severity = reader.Enum(finding, "severity", path, required: true, FindingSeverity.Info, ("error", FindingSeverity.Error), ("warning", FindingSeverity.Warning), ("info", FindingSeverity.Info));
            return new Finding(
                reader.RequiredString(finding, "id", path),
                severity,
                reader.RequiredString(finding, "message", path),
                reader.RequiredString(finding, "file", path),
                reader.RequiredInt(finding, "line", path),
                reader.RequiredInt(finding, "column", path));
        }

        private static string OneLine(string text) => string.Join(" ", text.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries)).Trim();

        /// <summary>Reads values of an expected shape; a wrong one is reported with its JSON path.</summary>
        private sealed class Shape
        {
            private readonly string _source;

            public Shape(string source) => _source = source;

            public InputException Wrong(string path, string problem) =>
                new(ExitCodes.BadReport, $"{_source} is not a layout-audit report: {path} {problem}");

            public JsonElement Object(JsonElement element, string path) =>
                element.ValueKind == JsonValueKind.Object ? element : throw Wrong(path, "must be an object");

            public IEnumerable<JsonElement> Array(JsonElement element, string path) =>
                element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().ToList() : throw Wrong(path, "must be an array");

            /// <summary>The array, or nothing when the property is absent or null.</summary>
            public IEnumerable<JsonElement> OptionalArray(JsonElement owner, string name, string path) =>
                owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Array(value, Join(path, name)) : Enumerable.Empty<JsonElement>();

            public JsonElement Required(JsonElement owner, string name, string path) =>
                owner.TryGetProperty(name, out var value) ? value : throw Wrong(path.Length == 0 ? "the document" : path, $"has no \"{name}\"");

            public string String(JsonElement element, string path)
            {
                if (element.ValueKind != JsonValueKind.String)
                {
                    throw Wrong(path, "must be a string");
                }

                try
                {
                    return element.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    // The parser checks structure, not the bytes inside strings: invalid UTF-8 shows only here.
                    throw Wrong(path, "is not valid UTF-8");
                }
            }

            public string RequiredString(JsonElement owner, string name, string path) => String(Required(owner, name, path), Join(path, name));

            public string? OptionalString(JsonElement owner, string name, string path) =>
                owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? String(value, Join(path, name)) : null;

            public int RequiredInt(JsonElement owner, string name, string path) => Int(Required(owner, name, path), Join(path, name));

            public int? OptionalInt(JsonElement owner, string name, string path) =>
                owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Int(value, Join(path, name)) : null;

            public bool? OptionalBool(JsonElement owner, string name, string path) =>
                !owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
                : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
                : throw Wrong(Join(path, name), "must be true or false");

            public T Enum<T>(JsonElement owner, string name, string path, bool required, T fallback, params (string Name, T Value)[] values)
            {
                if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    return required ? throw Wrong(path, $"has no \"{name}\"") : fallback;
                }

                string text = String(value, Join(path, name));
                foreach (var (known, result) in values)
                {
                    if (known == text)
                    {
                        return result;
                    }
                }

                throw Wrong(Join(path, name), $"must be one of {string.Join(", ", values.Select(v => v.Name))} (found \"{text}\")");
            }

            private int Int(JsonElement element, string path) =>
                element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int value) ? value : throw Wrong(path, "must be an integer");

            private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
        }
    }
}
