using System;
using System.Collections.Generic;
using System.Linq;
using LayoutAudit.Core;

namespace LayoutAudit.Cli
{
    public enum TypeChangeKind
    {
        Added,
        Removed,
        Changed,
    }

    /// <summary>One type whose layout differs between two reports.</summary>
    public sealed record TypeChange(TypeChangeKind Kind, string? Assembly, string Name, TypeLayout? Base, TypeLayout? Head)
    {
        public TypeLayout Latest => Head ?? Base!;

        public int SizeDelta => (Head?.Size ?? 0) - (Base?.Size ?? 0);

        public int PaddingDelta => (Head?.Padding ?? 0) - (Base?.Padding ?? 0);

        /// <summary>A type that got bigger or wastes more padding than before (a new type is not a regression).</summary>
        public bool Grew => Kind == TypeChangeKind.Changed && (SizeDelta > 0 || PaddingDelta > 0);

        public bool Shrank => Kind == TypeChangeKind.Changed && !Grew && (SizeDelta < 0 || PaddingDelta < 0);
    }

    /// <summary>What changed between two audit reports: layouts added, removed, grown or shrunk, findings new and fixed.</summary>
    public sealed record LayoutDiff(IReadOnlyList<TypeChange> Types, IReadOnlyList<Finding> NewFindings, IReadOnlyList<Finding> FixedFindings)
    {
        public IEnumerable<TypeChange> Grown => Types.Where(t => t.Grew);

        public IEnumerable<TypeChange> Shrunk => Types.Where(t => t.Shrank);

        /// <summary>What <c>--fail-on regression</c> fails on: a type grew, or a finding is new.</summary>
        public bool IsRegression => Grown.Any() || NewFindings.Count > 0;

        public bool IsEmpty => Types.Count == 0 && NewFindings.Count == 0 && FixedFindings.Count == 0;

        public static LayoutDiff Compute(AuditReport baseReport, AuditReport headReport)
        {
            // Reports of the layout command name no assembly: then types match by name alone.
            bool byAssembly = baseReport.Types.Any(t => t.Assembly is not null) && headReport.Types.Any(t => t.Assembly is not null);
            string KeyOf(AuditedType t) => byAssembly ? t.Key : t.Layout.Name;
            var before = Index(baseReport.Types, KeyOf);
            var after = Index(headReport.Types, KeyOf);

            var changes = new List<TypeChange>();
            foreach (var (key, head) in after)
            {
                if (!before.TryGetValue(key, out var old))
                {
                    changes.Add(new TypeChange(TypeChangeKind.Added, head.Assembly, head.Layout.Name, null, head.Layout));
                }
                else if (LayoutDiffers(old.Layout, head.Layout))
                {
                    changes.Add(new TypeChange(TypeChangeKind.Changed, head.Assembly, head.Layout.Name, old.Layout, head.Layout));
                }
            }

            foreach (var (key, old) in before)
            {
                if (!after.ContainsKey(key))
                {
                    changes.Add(new TypeChange(TypeChangeKind.Removed, old.Assembly, old.Layout.Name, old.Layout, null));
                }
            }

            var ordered = changes
                .OrderBy(c => c.Grew ? 0 : c.Kind == TypeChangeKind.Added ? 1 : c.Kind == TypeChangeKind.Changed ? 2 : 3)
                .ThenBy(c => c.Name, StringComparer.Ordinal)
                .ThenBy(c => c.Assembly, StringComparer.Ordinal)
                .ToList();
            return new LayoutDiff(ordered, Unmatched(headReport.Findings, baseReport.Findings), Unmatched(baseReport.Findings, headReport.Findings));
        }

        /// <summary>Whether two layouts of one type differ in anything a reader of the diff cares about.</summary>
        public static bool LayoutDiffers(TypeLayout a, TypeLayout b) =>
            a.Size != b.Size
            || a.Padding != b.Padding
            || a.Alignment != b.Alignment
            || a.Category != b.Category
            || a.Fields.Count != b.Fields.Count
            || a.Fields.Zip(b.Fields, (x, y) => x.Name != y.Name || x.TypeName != y.TypeName || x.Offset != y.Offset || x.Size != y.Size).Any(d => d);

        private static Dictionary<string, AuditedType> Index(IEnumerable<AuditedType> types, Func<AuditedType, string> key)
        {
            var index = new Dictionary<string, AuditedType>(StringComparer.Ordinal);
            foreach (var type in types)
            {
                index.TryAdd(key(type), type);
            }

            return index;
        }

        /// <summary>Findings of <paramref name="these"/> with no counterpart in <paramref name="others"/>. A counterpart has the
        /// same rule, file and message (lines move as code is edited above); or else the same rule, file and subject (the
        /// first name the message quotes, whose size in the message changed); or else the same rule at the same place.
        /// Counted, so a second copy of a finding is still new.</summary>
        private static List<Finding> Unmatched(IReadOnlyList<Finding> these, IReadOnlyList<Finding> others)
        {
            var remaining = these.ToList();
            var pool = others.ToList();
            var keys = new Func<Finding, object>[] { f => f.MatchKey, f => (f.Id, f.File, Subject(f.Message)), f => (f.Id, f.File, f.Line) };
            foreach (var sameKey in keys)
            {
                var available = pool.GroupBy(sameKey).ToDictionary(g => g.Key, g => new Queue<Finding>(g));
                var unmatched = new List<Finding>();
                foreach (var finding in remaining)
                {
                    if (available.TryGetValue(sameKey(finding), out var candidates) && candidates.Count > 0)
                    {
                        pool.Remove(candidates.Dequeue());
                    }
                    else
                    {
                        unmatched.Add(finding);
                    }
                }

                remaining = unmatched;
            }

            return remaining;
        }

        /// <summary>The first 'quoted' name of a message ("'Order' is 24 bytes..." is about Order), or a value matching
        /// nothing else when the message quotes none.</summary>
        private static object Subject(string message)
        {
            int start = message.IndexOf('\'');
            int end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
            return end > start + 1 ? message.Substring(start + 1, end - start - 1) : new object();
        }
    }
}
