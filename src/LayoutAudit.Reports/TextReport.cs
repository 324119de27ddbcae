using System;
using System.Globalization;
using System.Linq;
using System.Text;
using LayoutAudit.Core;

namespace LayoutAudit.Reports
{
    public sealed class TextReportOptions
    {
        /// <summary>Bytes per cache line for boundary markers; 0 for none.</summary>
        public int CacheLineSize { get; set; } = 64;
    }

    /// <summary>A pahole-style table: one row per field with its offset and size, holes marked where they are.</summary>
    public static class TextReport
    {
        public static string Render(TypeLayout layout, TextReportOptions? options = null)
        {
            options ??= new TextReportOptions();
            var text = new StringBuilder();
            bool isClass = layout.Category == TypeCategory.Class;
            string kind = isClass ? "class" : "struct";
            text.Append(kind).Append(' ').Append(layout.DisplayName).Append(" {").AppendLine();
            Comment(text, $"{(isClass ? "heap size" : "size")} {layout.Size}, alignment {layout.Alignment}, {LayoutWords(layout)}");
            foreach (var note in layout.Notes)
            {
                Comment(text, note);
            }

            if (isClass)
            {
                Row(text, "/* object header */", "", -layout.PointerSize, layout.PointerSize);
                Row(text, "/* method table pointer */", "", 0, layout.PointerSize);
            }

            int nextLine = options.CacheLineSize > 0 ? options.CacheLineSize : int.MaxValue;
            int holeIndex = 0;
            var holes = layout.Holes.Where(h => !h.IsTrailing).OrderBy(h => h.Offset).ToList();
            foreach (var field in layout.Fields)
            {
                while (holeIndex < holes.Count && holes[holeIndex].Offset < field.Offset)
                {
                    Comment(text, $"XXX {Bytes(holes[holeIndex].Size)} hole, try to pack");
                    holeIndex++;
                }

                while (field.Offset >= nextLine)
                {
                    Comment(text, $"--- cacheline {nextLine / options.CacheLineSize} boundary ({nextLine} bytes) ---");
                    nextLine += options.CacheLineSize;
                }

                string name = field.DeclaringType == layout.Name ? field.Name : $"{field.Name} (from {field.DeclaringType})";
                Row(text, field.TypeName, name, field.Offset, field.Size);
                if (options.CacheLineSize > 0 && field.Offset / options.CacheLineSize != (field.End - 1) / options.CacheLineSize && field.Size > 0)
                {
                    Comment(text, $"XXX {field.Name} straddles a {options.CacheLineSize}-byte cache line");
                }
            }

            if (layout.TrailingPadding > 0)
            {
                Comment(text, $"XXX {Bytes(layout.TrailingPadding)} of padding at the end");
            }

            text.AppendLine();
            int members = layout.Fields.Sum(f => f.Size);
            int lines = options.CacheLineSize > 0 ? (layout.Size + options.CacheLineSize - 1) / options.CacheLineSize : 0;
            Comment(text, $"size: {layout.Size}{(options.CacheLineSize > 0 ? $", cachelines: {lines}" : "")}, members: {layout.Fields.Count}");
            Comment(text, $"sum members: {members}, holes: {holes.Count}, sum holes: {holes.Sum(h => h.Size)}, padding: {layout.TrailingPadding}");
            Comment(text, $"references: {layout.ReferenceCount} ({layout.GcTrackedBytes} bytes the GC scans)");
            if (layout.SuggestedSize is int suggested)
            {
                Comment(text, $"suggested order: {string.Join(", ", layout.SuggestedOrder)} -> {suggested} bytes (saves {layout.Size - suggested})");
            }

            text.Append("};").AppendLine();
            return text.ToString();
        }

        public static string Render(LayoutProblem problem) =>
            $"{problem.TypeName}: no layout ({ProblemWords(problem.Kind)}): {problem.Message}{Environment.NewLine}";

        internal static string ProblemWords(LayoutProblemKind kind) => kind switch
        {
            LayoutProblemKind.TypeLoadError => "the runtime cannot load it",
            LayoutProblemKind.NotApplicable => "no instance layout",
            _ => "cannot be known",
        };

        internal static string LayoutWords(TypeLayout layout)
        {
            string applied = layout.AppliedLayout.ToString().ToLowerInvariant();
            string declared = layout.DeclaredLayout.ToString().ToLowerInvariant();
            string words = applied == declared ? $"{applied} layout" : $"{applied} layout (declared {declared})";
            if (layout.Pack != 0)
            {
                words += $", Pack={layout.Pack}";
            }

            return layout.Category == TypeCategory.Class ? words + $", {layout.PointerSize}-byte header and method table included" : words;
        }

        private static string Bytes(int count) => count == 1 ? "1 byte" : count.ToString(CultureInfo.InvariantCulture) + " bytes";

        private static void Row(StringBuilder text, string type, string name, int offset, int size)
        {
            string declaration = name.Length == 0 ? type : $"{type} {name};";
            text.Append("    ").Append(declaration.PadRight(40)).Append(" /* ")
                .Append(offset.ToString(CultureInfo.InvariantCulture).PadLeft(6)).Append(' ')
                .Append(size.ToString(CultureInfo.InvariantCulture).PadLeft(6)).Append(" */").AppendLine();
        }

        private static void Comment(StringBuilder text, string comment) => text.Append("    /* ").Append(comment).Append(" */").AppendLine();
    }
}
