using LayoutAudit.Core;

namespace LayoutAudit.Reports.Tests
{
    /// <summary>Layouts built by hand for format tests: they exercise the rendering, not the engine.</summary>
    internal static class SampleLayouts
    {
        /// <summary><c>struct { byte A; long B; byte C; }</c>: a 7-byte hole, 7 bytes of trailing padding, and a smaller order.</summary>
        public static TypeLayout Shrinks => new()
        {
            Name = "Sample.Shrinks",
            DisplayName = "Sample.Shrinks",
            Category = TypeCategory.Struct,
            DeclaredLayout = LayoutKindName.Sequential,
            AppliedLayout = LayoutKindName.Sequential,
            Size = 24,
            Alignment = 8,
            DataStart = 0,
            DataEnd = 24,
            Fields = new EquatableArray<FieldLayout>(new[]
            {
                new FieldLayout("A", "byte", 0, 1, 1, FieldGcKind.None, "Sample.Shrinks"),
                new FieldLayout("B", "long", 8, 8, 8, FieldGcKind.None, "Sample.Shrinks"),
                new FieldLayout("C", "byte", 16, 1, 1, FieldGcKind.None, "Sample.Shrinks"),
            }),
            Holes = new EquatableArray<PaddingHole>(new[]
            {
                new PaddingHole(1, 7, "A", false),
                new PaddingHole(17, 7, "C", true),
            }),
            Padding = 14,
            TrailingPadding = 7,
            SuggestedOrder = new EquatableArray<string>(new[] { "B", "A", "C" }),
            SuggestedSize = 16,
        };

        /// <summary><c>struct { long B; bool A; }</c>: trailing padding only, already the smallest order.</summary>
        public static TypeLayout Better => new()
        {
            Name = "Sample.Better",
            DisplayName = "Sample.Better",
            Category = TypeCategory.Struct,
            DeclaredLayout = LayoutKindName.Sequential,
            AppliedLayout = LayoutKindName.Sequential,
            Size = 16,
            Alignment = 8,
            DataEnd = 16,
            Fields = new EquatableArray<FieldLayout>(new[]
            {
                new FieldLayout("B", "long", 0, 8, 8, FieldGcKind.None, "Sample.Better"),
                new FieldLayout("A", "bool", 8, 1, 1, FieldGcKind.None, "Sample.Better"),
            }),
            Holes = new EquatableArray<PaddingHole>(new[] { new PaddingHole(9, 7, "A", true) }),
            Padding = 7,
            TrailingPadding = 7,
        };

        /// <summary>A derived class: header and method-table pointer, an inherited field, a reference.</summary>
        public static TypeLayout Derived => new()
        {
            Name = "Sample.Derived",
            DisplayName = "Sample.Derived",
            Category = TypeCategory.Class,
            DeclaredLayout = LayoutKindName.Auto,
            AppliedLayout = LayoutKindName.Auto,
            Size = 40,
            Alignment = 8,
            DataStart = 8,
            DataEnd = 32,
            Fields = new EquatableArray<FieldLayout>(new[]
            {
                new FieldLayout("X", "int", 8, 4, 4, FieldGcKind.None, "Sample.Base"),
                new FieldLayout("Name", "string", 16, 8, 8, FieldGcKind.Reference, "Sample.Derived"),
                new FieldLayout("Z", "byte", 24, 1, 1, FieldGcKind.None, "Sample.Derived"),
            }),
            Holes = new EquatableArray<PaddingHole>(new[]
            {
                new PaddingHole(12, 4, "X", false),
                new PaddingHole(25, 7, "Z", true),
            }),
            Padding = 11,
            TrailingPadding = 7,
            ReferenceCount = 1,
            GcTrackedBytes = 8,
        };

        /// <summary>A sequential struct holding a reference, which the runtime lays out as auto.</summary>
        public static TypeLayout WithReference => new()
        {
            Name = "Sample.WithReference",
            DisplayName = "Sample.WithReference",
            Category = TypeCategory.Struct,
            DeclaredLayout = LayoutKindName.Sequential,
            AppliedLayout = LayoutKindName.Auto,
            Size = 16,
            Alignment = 8,
            DataEnd = 16,
            Fields = new EquatableArray<FieldLayout>(new[]
            {
                new FieldLayout("B", "object", 0, 8, 8, FieldGcKind.Reference, "Sample.WithReference"),
                new FieldLayout("C", "int", 8, 4, 4, FieldGcKind.None, "Sample.WithReference"),
                new FieldLayout("A", "byte", 12, 1, 1, FieldGcKind.None, "Sample.WithReference"),
            }),
            Holes = new EquatableArray<PaddingHole>(new[] { new PaddingHole(13, 3, "A", true) }),
            Padding = 3,
            TrailingPadding = 3,
            ReferenceCount = 1,
            GcTrackedBytes = 8,
            Notes = new EquatableArray<string>(new[] { "sequential not honoured: the struct holds references" }),
        };

        /// <summary>Two 64-byte halves written by different threads: fields on both sides of a cache-line boundary.</summary>
        public static TypeLayout Counters => new()
        {
            Name = "Sample.Counters",
            DisplayName = "Sample.Counters",
            Category = TypeCategory.Struct,
            DeclaredLayout = LayoutKindName.Explicit,
            AppliedLayout = LayoutKindName.Explicit,
            Size = 136,
            Alignment = 8,
            DataEnd = 136,
            Fields = new EquatableArray<FieldLayout>(new[]
            {
                new FieldLayout("Reads", "long", 0, 8, 8, FieldGcKind.None, "Sample.Counters"),
                new FieldLayout("Writes", "long", 64, 8, 8, FieldGcKind.None, "Sample.Counters"),
                new FieldLayout("Misaligned", "long", 124, 8, 8, FieldGcKind.None, "Sample.Counters"),
            }),
            Holes = new EquatableArray<PaddingHole>(new[]
            {
                new PaddingHole(8, 56, "Reads", false),
                new PaddingHole(72, 52, "Writes", false),
                new PaddingHole(132, 4, "Misaligned", true),
            }),
            Padding = 112,
            TrailingPadding = 4,
        };

        public static LayoutProblem Broken => new("Sample.Broken", LayoutProblemKind.TypeLoadError, "field 'O' (a reference) overlaps field 'L' at offset 0");
    }
}
