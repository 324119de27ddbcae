using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LayoutAudit.Core;

namespace LayoutAudit.Reports
{
    /// <summary>What a JSON report holds: the laid-out types and the types with no layout.</summary>
    public sealed class JsonReportContent
    {
        public JsonReportContent(IReadOnlyList<TypeLayout> layouts, IReadOnlyList<LayoutProblem> problems)
        {
            Layouts = layouts;
            Problems = problems;
        }

        public IReadOnlyList<TypeLayout> Layouts { get; }

        public IReadOnlyList<LayoutProblem> Problems { get; }
    }

    /// <summary>The text is not JSON, or not a layout report; says where (1-based line and column) and why.</summary>
    public sealed class JsonReportException : FormatException
    {
        public JsonReportException(int line, int column, string reason)
            : base($"line {line}, column {column}: {reason}")
        {
            Line = line;
            Column = column;
            Reason = reason;
        }

        public int Line { get; }

        public int Column { get; }

        public string Reason { get; }
    }

    /// <summary>
    /// Reads a report written by <see cref="JsonReport"/> (or by another tool keeping its contract) back into
    /// <see cref="TypeLayout"/>s. Only the contract's fields are required; the extra fields are read when present.
    /// </summary>
    public static class JsonReportReader
    {
        /// <exception cref="JsonReportException">The text is not JSON, or its shape is not a layout report.</exception>
        public static JsonReportContent Read(string json)
        {
            if (json is null)
            {
                throw new ArgumentNullException(nameof(json));
            }

            var root = new JsonParser(json).ParseDocument();
            var report = Expect(root, JsonKind.Object, "the report", json).AsObject();
            var layouts = ArrayOf(report, "types", "", required: true, json)
                .Select((t, i) => ReadType(t, $"types[{i}]", json))
                .ToList();
            var problems = ArrayOf(report, "problems", "", required: false, json)
                .Select((p, i) => ReadProblem(p, $"problems[{i}]", json))
                .ToList();
            return new JsonReportContent(layouts, problems);
        }

        private static TypeLayout ReadType(JsonValue value, string path, string json)
        {
            var type = Expect(value, JsonKind.Object, path, json).AsObject();
            string name = RequiredString(type, "name", path, json);
            var category = ParseEnum(type, "kind", path, json, required: true, TypeCategory.Struct, ("struct", TypeCategory.Struct), ("class", TypeCategory.Class));
            int pointerSize = OptionalInt(type, "pointerSize", path, json) ?? 8;
            int size = RequiredInt(type, "size", path, json);
            bool isClass = category == TypeCategory.Class;
            var fields = ArrayOf(type, "fields", path, required: true, json)
                .Select((f, i) => ReadField(f, $"{path}.fields[{i}]", name, json))
                .ToList();
            var suggestedOrder = NullableArrayOf(type, "suggestedOrder", path, json);

            // dataStart/dataEnd follow from the kind when a writer leaves them out: a class's data starts after the
            // method-table pointer and ends before the object header counted in its size.
            return new TypeLayout
            {
                Name = name,
                DisplayName = OptionalString(type, "displayName", path, json) ?? name.Replace('+', '.'),
                Category = category,
                PointerSize = pointerSize,
                DeclaredLayout = ParseLayoutKind(type, "declaredLayout", path, json, isClass),
                AppliedLayout = ParseLayoutKind(type, "appliedLayout", path, json, isClass),
                Pack = OptionalInt(type, "pack", path, json) ?? 0,
                Size = size,
                Alignment = RequiredInt(type, "alignment", path, json),
                DataStart = OptionalInt(type, "dataStart", path, json) ?? (isClass ? pointerSize : 0),
                DataEnd = OptionalInt(type, "dataEnd", path, json) ?? (isClass ? size - pointerSize : size),
                Fields = new EquatableArray<FieldLayout>(fields),
                Holes = new EquatableArray<PaddingHole>(ArrayOf(type, "holes", path, required: false, json).Select((h, i) => ReadHole(h, $"{path}.holes[{i}]", json))),
                Padding = RequiredInt(type, "padding", path, json),
                TrailingPadding = OptionalInt(type, "trailingPadding", path, json) ?? 0,
                ReferenceCount = OptionalInt(type, "referenceCount", path, json) ?? 0,
                GcTrackedBytes = OptionalInt(type, "gcTrackedBytes", path, json) ?? 0,
                SuggestedOrder = new EquatableArray<string>(suggestedOrder.Select((s, i) => AsString(s, $"{path}.suggestedOrder[{i}]", json))),
                SuggestedSize = OptionalInt(type, "suggestedSize", path, json),
                Notes = new EquatableArray<string>(ArrayOf(type, "notes", path, required: false, json).Select((n, i) => AsString(n, $"{path}.notes[{i}]", json))),
            };
        }

        private static FieldLayout ReadField(JsonValue value, string path, string typeName, string json)
        {
            var field = Expect(value, JsonKind.Object, path, json).AsObject();
            return new FieldLayout(
                RequiredString(field, "name", path, json),
                RequiredString(field, "type", path, json),
                RequiredInt(field, "offset", path, json),
                RequiredInt(field, "size", path, json),
                OptionalInt(field, "alignment", path, json) ?? 0,
                ParseEnum(field, "gc", path, json, required: false, FieldGcKind.None, ("none", FieldGcKind.None), ("reference", FieldGcKind.Reference), ("containsReferences", FieldGcKind.ContainsReferences), ("byRef", FieldGcKind.ByRef)),
                OptionalString(field, "declaringType", path, json) ?? typeName);
        }

        private static PaddingHole ReadHole(JsonValue value, string path, string json)
        {
            var hole = Expect(value, JsonKind.Object, path, json).AsObject();
            return new PaddingHole(
                RequiredInt(hole, "offset", path, json),
                RequiredInt(hole, "size", path, json),
                OptionalString(hole, "after", path, json),
                OptionalBool(hole, "trailing", path, json) ?? false);
        }

        private static LayoutProblem ReadProblem(JsonValue value, string path, string json)
        {
            var problem = Expect(value, JsonKind.Object, path, json).AsObject();
            return new LayoutProblem(
                RequiredString(problem, "name", path, json),
                ParseEnum(problem, "kind", path, json, required: false, LayoutProblemKind.Unknown, ("typeLoadError", LayoutProblemKind.TypeLoadError), ("notApplicable", LayoutProblemKind.NotApplicable), ("unknown", LayoutProblemKind.Unknown)),
                OptionalString(problem, "message", path, json) ?? "");
        }

        private static LayoutKindName ParseLayoutKind(JsonObject obj, string name, string path, string json, bool isClass) =>
            ParseEnum(obj, name, path, json, required: false, isClass ? LayoutKindName.Auto : LayoutKindName.Sequential, ("auto", LayoutKindName.Auto), ("sequential", LayoutKindName.Sequential), ("explicit", LayoutKindName.Explicit));

        private static T ParseEnum<T>(JsonObject obj, string name, string path, string json, bool required, T fallback, params (string Text, T Value)[] choices)
        {
            string? text = required ? RequiredString(obj, name, path, json) : OptionalString(obj, name, path, json);
            if (text is null)
            {
                return fallback;
            }

            foreach (var choice in choices)
            {
                if (choice.Text == text)
                {
                    return choice.Value;
                }
            }

            throw Error(obj.Get(name)!, json, $"{path}.{name}: expected one of {string.Join(", ", choices.Select(c => "\"" + c.Text + "\""))}, found {Quote(text)}");
        }

        /// <summary>Quotes a value for an error message, escaping control characters so the message stays one line.</summary>
        private static string Quote(string text)
        {
            var quoted = new System.Text.StringBuilder("\"");
            foreach (char c in text)
            {
                quoted.Append(c < ' ' ? $"\\u{(int)c:x4}" : c.ToString());
            }

            return quoted.Append('"').ToString();
        }

        private static IEnumerable<JsonValue> ArrayOf(JsonObject obj, string name, string path, bool required, string json)
        {
            var value = obj.Get(name);
            if (value is null || (!required && value.Kind == JsonKind.Null))
            {
                if (required)
                {
                    throw Error(obj.Value, json, $"{(path.Length == 0 ? "the report" : path)}: missing \"{name}\"");
                }

                return Array.Empty<JsonValue>();
            }

            return Expect(value, JsonKind.Array, path.Length == 0 ? name : $"{path}.{name}", json).Items!;
        }

        private static IEnumerable<JsonValue> NullableArrayOf(JsonObject obj, string name, string path, string json)
        {
            var value = obj.Get(name);
            return value is null || value.Kind == JsonKind.Null ? Array.Empty<JsonValue>() : Expect(value, JsonKind.Array, $"{path}.{name}", json).Items!;
        }

        private static string RequiredString(JsonObject obj, string name, string path, string json) =>
            OptionalString(obj, name, path, json) ?? throw Error(obj.Value, json, $"{path}: missing \"{name}\"");

        private static string? OptionalString(JsonObject obj, string name, string path, string json)
        {
            var value = obj.Get(name);
            return value is null || value.Kind == JsonKind.Null ? null : AsString(value, $"{path}.{name}", json);
        }

        private static string AsString(JsonValue value, string path, string json) => Expect(value, JsonKind.String, path, json).Text!;

        private static int RequiredInt(JsonObject obj, string name, string path, string json) =>
            OptionalInt(obj, name, path, json) ?? throw Error(obj.Value, json, $"{path}: missing \"{name}\"");

        private static int? OptionalInt(JsonObject obj, string name, string path, string json)
        {
            var value = obj.Get(name);
            if (value is null || value.Kind == JsonKind.Null)
            {
                return null;
            }

            string text = Expect(value, JsonKind.Number, $"{path}.{name}", json).Text!;
            return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number)
                ? number
                : throw Error(value, json, $"{path}.{name}: expected a whole number of bytes, found {text}");
        }

        private static bool? OptionalBool(JsonObject obj, string name, string path, string json)
        {
            var value = obj.Get(name);
            return value is null || value.Kind == JsonKind.Null ? null : Expect(value, JsonKind.Boolean, $"{path}.{name}", json).Text == "true";
        }

        private static JsonValue Expect(JsonValue value, JsonKind kind, string path, string json) =>
            value.Kind == kind ? value : throw Error(value, json, $"{path}: expected {Words(kind)}, found {Words(value.Kind)}");

        private static string Words(JsonKind kind) => kind switch
        {
            JsonKind.Object => "an object",
            JsonKind.Array => "an array",
            JsonKind.String => "a string",
            JsonKind.Number => "a number",
            JsonKind.Boolean => "true or false",
            _ => "null",
        };

        private static JsonReportException Error(JsonValue at, string json, string reason) => JsonParser.ErrorAt(json, at.Position, reason);

        private enum JsonKind
        {
            Object,
            Array,
            String,
            Number,
            Boolean,
            Null,
        }

        /// <summary>A parsed JSON value; <see cref="Position"/> is where it starts, for error messages.</summary>
        private sealed class JsonValue
        {
            public JsonValue(JsonKind kind, int position, string? text = null, List<JsonValue>? items = null, List<KeyValuePair<string, JsonValue>>? members = null)
            {
                Kind = kind;
                Position = position;
                Text = text;
                Items = items;
                Members = members;
            }

            public JsonKind Kind { get; }

            public int Position { get; }

            /// <summary>A string's value, a number's or boolean's literal text.</summary>
            public string? Text { get; }

            public List<JsonValue>? Items { get; }

            public List<KeyValuePair<string, JsonValue>>? Members { get; }

            public JsonObject AsObject() => new(this);
        }

        private readonly struct JsonObject
        {
            public JsonObject(JsonValue value) => Value = value;

            public JsonValue Value { get; }

            /// <summary>The member's value, or null when absent; with duplicates, the last one wins (as most readers do).</summary>
            public JsonValue? Get(string name)
            {
                JsonValue? found = null;
                foreach (var member in Value.Members!)
                {
                    if (member.Key == name)
                    {
                        found = member.Value;
                    }
                }

                return found;
            }
        }

        /// <summary>A strict RFC 8259 recursive-descent parser; every failure is a <see cref="JsonReportException"/>.</summary>
        private sealed class JsonParser
        {
            // Deeper input is refused rather than risking the stack: a report nests four levels.
            private const int MaxDepth = 64;
            private readonly string _text;
            private int _position;
            private int _depth;

            public JsonParser(string text) => _text = text;

            public static JsonReportException ErrorAt(string text, int position, string reason)
            {
                int line = 1;
                int lineStart = 0;
                for (int i = 0; i < position && i < text.Length; i++)
                {
                    if (text[i] == '\n')
                    {
                        line++;
                        lineStart = i + 1;
                    }
                }

                return new JsonReportException(line, position - lineStart + 1, reason);
            }

            public JsonValue ParseDocument()
            {
                SkipWhitespace();
                if (_position == _text.Length)
                {
                    throw Fail("the text is empty, expected a JSON object");
                }

                var value = ParseValue();
                SkipWhitespace();
                if (_position != _text.Length)
                {
                    throw Fail($"unexpected {Describe()} after the end of the JSON value");
                }

                return value;
            }

            private JsonValue ParseValue()
            {
                SkipWhitespace();
                if (_position == _text.Length)
                {
                    throw Fail("unexpected end of the text, expected a value");
                }

                char c = _text[_position];
                switch (c)
                {
                    case '{': return ParseObject();
                    case '[': return ParseArray();
                    case '"': return new JsonValue(JsonKind.String, _position, ParseString());
                    case 't': return ParseLiteral("true", JsonKind.Boolean);
                    case 'f': return ParseLiteral("false", JsonKind.Boolean);
                    case 'n': return ParseLiteral("null", JsonKind.Null);
                    default:
                        if (c == '-' || (c >= '0' && c <= '9'))
                        {
                            return ParseNumber();
                        }

                        throw Fail($"unexpected {Describe()}, expected a value");
                }
            }

            private JsonValue ParseObject()
            {
                int start = _position;
                Enter();
                _position++;
                var members = new List<KeyValuePair<string, JsonValue>>();
                SkipWhitespace();
                if (TryConsume('}'))
                {
                    _depth--;
                    return new JsonValue(JsonKind.Object, start, members: members);
                }

                while (true)
                {
                    SkipWhitespace();
                    if (_position == _text.Length || _text[_position] != '"')
                    {
                        throw Fail($"unexpected {Describe()}, expected a property name in double quotes");
                    }

                    string name = ParseString();
                    SkipWhitespace();
                    if (!TryConsume(':'))
                    {
                        throw Fail($"unexpected {Describe()}, expected ':' after the property name");
                    }

                    members.Add(new KeyValuePair<string, JsonValue>(name, ParseValue()));
                    SkipWhitespace();
                    if (TryConsume('}'))
                    {
                        _depth--;
                        return new JsonValue(JsonKind.Object, start, members: members);
                    }

                    if (!TryConsume(','))
                    {
                        throw Fail($"unexpected {Describe()}, expected ',' or '}}'");
                    }
                }
            }

            private JsonValue ParseArray()
            {
                int start = _position;
                Enter();
                _position++;
                var items = new List<JsonValue>();
                SkipWhitespace();
                if (TryConsume(']'))
                {
                    _depth--;
                    return new JsonValue(JsonKind.Array, start, items: items);
                }

                while (true)
                {
                    items.Add(ParseValue());
                    SkipWhitespace();
                    if (TryConsume(']'))
                    {
                        _depth--;
                        return new JsonValue(JsonKind.Array, start, items: items);
                    }

                    if (!TryConsume(','))
                    {
                        throw Fail($"unexpected {Describe()}, expected ',' or ']'");
                    }
                }
            }

            private string ParseString()
            {
                _position++;
                var value = new System.Text.StringBuilder();
                while (true)
                {
                    if (_position == _text.Length)
                    {
                        throw Fail("unterminated string");
                    }

                    char c = _text[_position];
                    if (c == '"')
                    {
                        _position++;
                        return value.ToString();
                    }

                    if (c < ' ')
                    {
                        throw Fail($"control character U+{(int)c:X4} in a string (it must be escaped)");
                    }

                    if (c != '\\')
                    {
                        value.Append(c);
                        _position++;
                        continue;
                    }

                    if (_position + 1 == _text.Length)
                    {
                        throw Fail("unterminated string");
                    }

                    char escape = _text[_position + 1];
                    switch (escape)
                    {
                        case '"': value.Append('"'); break;
                        case '\\': value.Append('\\'); break;
                        case '/': value.Append('/'); break;
                        case 'b': value.Append('\b'); break;
                        case 'f': value.Append('\f'); break;
                        case 'n': value.Append('\n'); break;
                        case 'r': value.Append('\r'); break;
                        case 't': value.Append('\t'); break;
                        case 'u':
                            if (_position + 6 > _text.Length || !int.TryParse(_text.Substring(_position + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                            {
                                throw Fail("invalid \\u escape, expected four hex digits");
                            }

                            value.Append((char)code);
                            _position += 4;
                            break;
                        default:
                            throw Fail($"invalid escape '\\{escape}' in a string");
                    }

                    _position += 2;
                }
            }

            private JsonValue ParseNumber()
            {
                int start = _position;
                TryConsume('-');
                if (TryConsume('0'))
                {
                    // JSON allows no leading zeros.
                }
                else if (!ConsumeDigits())
                {
                    throw Fail("invalid number, expected a digit");
                }

                if (TryConsume('.') && !ConsumeDigits())
                {
                    throw Fail("invalid number, expected a digit after '.'");
                }

                if (_position < _text.Length && (_text[_position] == 'e' || _text[_position] == 'E'))
                {
                    _position++;
                    if (!TryConsume('+'))
                    {
                        TryConsume('-');
                    }

                    if (!ConsumeDigits())
                    {
                        throw Fail("invalid number, expected a digit in the exponent");
                    }
                }

                return new JsonValue(JsonKind.Number, start, _text.Substring(start, _position - start));
            }

            private bool ConsumeDigits()
            {
                int start = _position;
                while (_position < _text.Length && _text[_position] >= '0' && _text[_position] <= '9')
                {
                    _position++;
                }

                return _position > start;
            }

            private JsonValue ParseLiteral(string literal, JsonKind kind)
            {
                if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0)
                {
                    throw Fail($"unexpected {Describe()}, expected a value");
                }

                var value = new JsonValue(kind, _position, literal);
                _position += literal.Length;
                return value;
            }

            private void Enter()
            {
                if (++_depth > MaxDepth)
                {
                    throw Fail($"nested deeper than {MaxDepth} levels");
                }
            }

            private bool TryConsume(char c)
            {
                if (_position < _text.Length && _text[_position] == c)
                {
                    _position++;
                    return true;
                }

                return false;
            }

            private void SkipWhitespace()
            {
                while (_position < _text.Length && _text[_position] is ' ' or '\t' or '\n' or '\r')
                {
                    _position++;
                }
            }

            private string Describe()
            {
                if (_position >= _text.Length)
                {
                    return "end of the text";
                }

                char c = _text[_position];
                return c < ' ' ? $"character U+{(int)c:X4}" : $"'{c}'";
            }

            private JsonReportException Fail(string reason) => ErrorAt(_text, _position, reason);
        }
    }
}
