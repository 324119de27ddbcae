using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using LayoutAudit.Core;

namespace LayoutAudit.Reports
{
    /// <summary>
    /// The JSON report other tools read. Contract (names kept; fields may be added):
    /// <c>{"types":[{"name","kind","size","alignment","fields":[{"name","type","offset","size"}],"padding","suggestedOrder","suggestedSize"}]}</c>.
    /// </summary>
    public static class JsonReport
    {
        public static string Write(IEnumerable<TypeLayout> layouts, IEnumerable<LayoutProblem>? problems = null)
        {
            var json = new JsonWriter();
            json.BeginObject();
            json.Name("version").Value(1);
            json.Name("types").BeginArray();
            foreach (var layout in layouts.OrderBy(l => l.Name, System.StringComparer.Ordinal))
            {
                WriteType(json, layout);
            }

            json.EndArray();
            json.Name("problems").BeginArray();
            foreach (var problem in (problems ?? Enumerable.Empty<LayoutProblem>()).OrderBy(p => p.TypeName, System.StringComparer.Ordinal))
            {
                json.BeginObject();
                json.Name("name").Value(problem.TypeName);
                json.Name("kind").Value(problem.Kind switch
                {
                    LayoutProblemKind.TypeLoadError => "typeLoadError",
                    LayoutProblemKind.NotApplicable => "notApplicable",
                    _ => "unknown",
                });
                json.Name("message").Value(problem.Message);
                json.EndObject();
            }

            json.EndArray();
            json.EndObject();
            return json.ToString();
        }

        private static void WriteType(JsonWriter json, TypeLayout layout)
        {
            json.BeginObject();
            json.Name("name").Value(layout.Name);
            json.Name("displayName").Value(layout.DisplayName);
            json.Name("kind").Value(layout.Category == TypeCategory.Class ? "class" : "struct");
            json.Name("size").Value(layout.Size);
            json.Name("alignment").Value(layout.Alignment);
            json.Name("pointerSize").Value(layout.PointerSize);
            json.Name("declaredLayout").Value(layout.DeclaredLayout.ToString().ToLowerInvariant());
            json.Name("appliedLayout").Value(layout.AppliedLayout.ToString().ToLowerInvariant());
            json.Name("pack").Value(layout.Pack);
            json.Name("fields").BeginArray();
            foreach (var field in layout.Fields)
            {
                json.BeginObject();
                json.Name("name").Value(field.Name);
                json.Name("type").Value(field.TypeName);
                json.Name("offset").Value(field.Offset);
                json.Name("size").Value(field.Size);
                json.Name("alignment").Value(field.Alignment);
                json.Name("gc").Value(field.Gc switch
                {
                    FieldGcKind.Reference => "reference",
                    FieldGcKind.ContainsReferences => "containsReferences",
                    FieldGcKind.ByRef => "byRef",
                    _ => "none",
                });
                json.Name("declaringType").Value(field.DeclaringType);
                json.EndObject();
            }

            json.EndArray();
            json.Name("holes").BeginArray();
            foreach (var hole in layout.Holes)
            {
                json.BeginObject();
                json.Name("offset").Value(hole.Offset);
                json.Name("size").Value(hole.Size);
                json.Name("after").Value(hole.AfterField);
                json.Name("trailing").Value(hole.IsTrailing);
                json.EndObject();
            }

            json.EndArray();
            json.Name("padding").Value(layout.Padding);
            json.Name("trailingPadding").Value(layout.TrailingPadding);
            json.Name("referenceCount").Value(layout.ReferenceCount);
            json.Name("gcTrackedBytes").Value(layout.GcTrackedBytes);
            json.Name("suggestedOrder");
            if (layout.SuggestedSize is null)
            {
                json.Null();
            }
            else
            {
                json.BeginArray();
                foreach (string name in layout.SuggestedOrder)
                {
                    json.Value(name);
                }

                json.EndArray();
            }

            json.Name("suggestedSize").Value(layout.SuggestedSize);
            json.Name("notes").BeginArray();
            foreach (string note in layout.Notes)
            {
                json.Value(note);
            }

            json.EndArray();
            json.EndObject();
        }

        /// <summary>A minimal indented JSON writer (netstandard2.0 inside the compiler has no System.Text.Json to rely on).</summary>
        private sealed class JsonWriter
        {
            private readonly StringBuilder _text = new();
            private readonly Stack<bool> _hasItems = new();
            private bool _afterName;

            public JsonWriter BeginObject() => Open('{');

            public JsonWriter EndObject() => Close('}');

            public JsonWriter BeginArray() => Open('[');

            public JsonWriter EndArray() => Close(']');

            public JsonWriter Name(string name)
            {
                Separate();
                String(name);
                _text.Append(": ");
                _afterName = true;
                return this;
            }

            public JsonWriter Value(string? value)
            {
                if (value is null)
                {
                    return Null();
                }

                Separate();
                String(value);
                return this;
            }

            public JsonWriter Value(int value) => Raw(value.ToString(CultureInfo.InvariantCulture));

            public JsonWriter Value(int? value) => value is int v ? Value(v) : Null();

            public JsonWriter Value(bool value) => Raw(value ? "true" : "false");

            public JsonWriter Null() => Raw("null");

            public override string ToString() => _text.ToString() + "\n";

            private JsonWriter Raw(string token)
            {
                Separate();
                _text.Append(token);
                return this;
            }

            private JsonWriter Open(char bracket)
            {
                Separate();
                _text.Append(bracket);
                _hasItems.Push(false);
                return this;
            }

            private JsonWriter Close(char bracket)
            {
                bool hadItems = _hasItems.Pop();
                if (hadItems)
                {
                    NewLine();
                }

                _text.Append(bracket);
                return this;
            }

            private void Separate()
            {
                if (_afterName)
                {
                    _afterName = false;
                    return;
                }

                if (_hasItems.Count == 0)
                {
                    return;
                }

                if (_hasItems.Peek())
                {
                    _text.Append(',');
                }

                _hasItems.Pop();
                _hasItems.Push(true);
                NewLine();
            }

            private void NewLine() => _text.Append('\n').Append(' ', 2 * _hasItems.Count);

            private void String(string value)
            {
                _text.Append('"');
                foreach (char c in value)
                {
                    switch (c)
                    {
                        case '"': _text.Append("\\\""); break;
                        case '\\': _text.Append("\\\\"); break;
                        case '\n': _text.Append("\\n"); break;
                        case '\r': _text.Append("\\r"); break;
                        case '\t': _text.Append("\\t"); break;
                        default:
                            if (c < ' ')
                            {
                                _text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                            }
                            else
                            {
                                _text.Append(c);
                            }

                            break;
                    }
                }

                _text.Append('"');
            }
        }
    }
}
