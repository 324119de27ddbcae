using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace LayoutAudit.Core
{
    /// <summary>
    /// A compact, versioned text form of a <see cref="TypeLayout"/>: what the generator embeds in a user's
    /// assembly, so the prediction can be read back at run time without generated code per field.
    /// </summary>
    public static class LayoutCodec
    {
        private const string Version = "la1";
        private const char Record = ';';
        private const char Item = ',';
        private const char Part = ':';

        public static string Encode(TypeLayout layout)
        {
            var parts = new List<string>
            {
                Version,
                Escape(layout.Name),
                Escape(layout.DisplayName),
                layout.Category == TypeCategory.Class ? "C" : "S",
                Number(layout.PointerSize),
                ((int)layout.DeclaredLayout).ToString(CultureInfo.InvariantCulture),
                ((int)layout.AppliedLayout).ToString(CultureInfo.InvariantCulture),
                Number(layout.Pack),
                Number(layout.Size),
                Number(layout.Alignment),
                Number(layout.DataStart),
                Number(layout.DataEnd),
                Number(layout.Padding),
                Number(layout.TrailingPadding),
                Number(layout.ReferenceCount),
                Number(layout.GcTrackedBytes),
                layout.SuggestedSize is int suggested ? Number(suggested) : "-",
                string.Join(Item.ToString(), layout.SuggestedOrder.Select(Escape)),
                string.Join(Item.ToString(), layout.Fields.Select(f => string.Join(Part.ToString(), Escape(f.Name), Escape(f.TypeName), Number(f.Offset), Number(f.Size), Number(f.Alignment), ((int)f.Gc).ToString(CultureInfo.InvariantCulture), Escape(f.DeclaringType)))),
                string.Join(Item.ToString(), layout.Holes.Select(h => string.Join(Part.ToString(), Number(h.Offset), Number(h.Size), h.AfterField is null ? "-" : "=" + Escape(h.AfterField), h.IsTrailing ? "1" : "0"))),
                string.Join(Item.ToString(), layout.Notes.Select(Escape)),
            };
            return string.Join(Record.ToString(), parts);
        }

        /// <exception cref="FormatException">The text is not an encoded layout.</exception>
        public static TypeLayout Decode(string text)
        {
            var parts = text.Split(Record);
            if (parts.Length != 21 || parts[0] != Version)
            {
                throw new FormatException("not an encoded layout (expected " + Version + " with 21 parts)");
            }

            return new TypeLayout
            {
                Name = Unescape(parts[1]),
                DisplayName = Unescape(parts[2]),
                Category = parts[3] == "C" ? TypeCategory.Class : TypeCategory.Struct,
                PointerSize = Int(parts[4]),
                DeclaredLayout = (LayoutKindName)Int(parts[5]),
                AppliedLayout = (LayoutKindName)Int(parts[6]),
                Pack = Int(parts[7]),
                Size = Int(parts[8]),
                Alignment = Int(parts[9]),
                DataStart = Int(parts[10]),
                DataEnd = Int(parts[11]),
                Padding = Int(parts[12]),
                TrailingPadding = Int(parts[13]),
                ReferenceCount = Int(parts[14]),
                GcTrackedBytes = Int(parts[15]),
                SuggestedSize = parts[16] == "-" ? null : Int(parts[16]),
                SuggestedOrder = new EquatableArray<string>(Items(parts[17]).Select(Unescape)),
                Fields = new EquatableArray<FieldLayout>(Items(parts[18]).Select(DecodeField)),
                Holes = new EquatableArray<PaddingHole>(Items(parts[19]).Select(DecodeHole)),
                Notes = new EquatableArray<string>(Items(parts[20]).Select(Unescape)),
            };
        }

        private static FieldLayout DecodeField(string text)
        {
            var p = text.Split(Part);
            if (p.Length != 7)
            {
                throw new FormatException("malformed field: " + text);
            }

            return new FieldLayout(Unescape(p[0]), Unescape(p[1]), Int(p[2]), Int(p[3]), Int(p[4]), (FieldGcKind)Int(p[5]), Unescape(p[6]));
        }

        private static PaddingHole DecodeHole(string text)
        {
            var p = text.Split(Part);
            if (p.Length != 4)
            {
                throw new FormatException("malformed hole: " + text);
            }

            return new PaddingHole(Int(p[0]), Int(p[1]), p[2] == "-" ? null : Unescape(p[2].Substring(1)), p[3] == "1");
        }

        private static IEnumerable<string> Items(string text) => text.Length == 0 ? Array.Empty<string>() : text.Split(Item);

        private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static int Int(string text) =>
            int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value : throw new FormatException("not a number: " + text);

        /// <summary>Percent-escapes the separators, so names with any characters survive.</summary>
        private static string Escape(string text)
        {
            var builder = new StringBuilder(text.Length);
            foreach (char c in text)
            {
                if (c is ';' or ',' or ':' or '%' or '=' or '-' || c < ' ')
                {
                    builder.Append('%').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }

        private static string Unescape(string text)
        {
            if (text.IndexOf('%') < 0)
            {
                return text;
            }

            var builder = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '%' && i + 4 < text.Length && int.TryParse(text.Substring(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                {
                    builder.Append((char)code);
                    i += 4;
                }
                else
                {
                    builder.Append(text[i]);
                }
            }

            return builder.ToString();
        }
    }
}
