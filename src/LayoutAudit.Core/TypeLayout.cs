using System;

namespace LayoutAudit.Core
{
    /// <summary>Whether a laid-out type is a value type or a heap object.</summary>
    public enum TypeCategory
    {
        Struct,
        Class,
    }

    /// <summary>The three layout kinds of <c>StructLayoutAttribute</c>.</summary>
    public enum LayoutKindName
    {
        Auto,
        Sequential,
        Explicit,
    }

    /// <summary>What the garbage collector sees in a field.</summary>
    public enum FieldGcKind
    {
        /// <summary>Plain data: the GC never looks at it.</summary>
        None,

        /// <summary>An object reference the GC traces.</summary>
        Reference,

        /// <summary>A value type that holds object references inside it.</summary>
        ContainsReferences,

        /// <summary>A managed pointer (<c>ref</c> field of a ref struct).</summary>
        ByRef,
    }

    /// <summary>One instance field at its place in the type.</summary>
    /// <param name="Name">The metadata name (auto-property backing fields are <c>&lt;P&gt;k__BackingField</c>).</param>
    /// <param name="TypeName">The field's type, as C# writes it.</param>
    /// <param name="Offset">Bytes from the start of a struct; for a class, from the object reference, whose
    /// method-table pointer sits at offset 0.</param>
    /// <param name="Size">Bytes the field occupies.</param>
    /// <param name="Alignment">The alignment the runtime gave the field.</param>
    /// <param name="Gc">What the GC sees in the field.</param>
    /// <param name="DeclaringType">Reflection name of the type that declares the field (a base class for
    /// inherited fields).</param>
    public sealed record FieldLayout(
        string Name,
        string TypeName,
        int Offset,
        int Size,
        int Alignment,
        FieldGcKind Gc,
        string DeclaringType)
    {
        public int End => Offset + Size;

        public bool IsReference => Gc == FieldGcKind.Reference;
    }

    /// <summary>Bytes no field uses.</summary>
    /// <param name="Offset">Where the hole starts (same origin as field offsets).</param>
    /// <param name="Size">How many bytes.</param>
    /// <param name="AfterField">The field the hole follows, or null at the start.</param>
    /// <param name="IsTrailing">True for the padding after the last field.</param>
    public sealed record PaddingHole(int Offset, int Size, string? AfterField, bool IsTrailing);

    /// <summary>The exact managed layout of one type, as the CLR gives it.</summary>
    public sealed record TypeLayout
    {
        /// <summary>Reflection full name, e.g. <c>Ns.Outer+Inner</c> or <c>Ns.Pair`1[System.Int32]</c>.</summary>
        public string Name { get; init; } = "";

        /// <summary>The type as C# writes it, e.g. <c>Ns.Outer.Inner</c>.</summary>
        public string DisplayName { get; init; } = "";

        public TypeCategory Category { get; init; }

        /// <summary>Pointer size of the target the layout is for (8 or 4).</summary>
        public int PointerSize { get; init; } = 8;

        /// <summary>The layout the type asks for.</summary>
        public LayoutKindName DeclaredLayout { get; init; }

        /// <summary>The layout the runtime really applies (sequential structs holding references get auto).</summary>
        public LayoutKindName AppliedLayout { get; init; }

        /// <summary><c>StructLayout.Pack</c> (0 = default).</summary>
        public int Pack { get; init; }

        /// <summary>For a struct its size; for a class the heap size of an instance, header and method-table
        /// pointer included.</summary>
        public int Size { get; init; }

        /// <summary>Alignment the type gets as a field of a struct.</summary>
        public int Alignment { get; init; }

        /// <summary>Where instance data starts (0 for structs, pointer size for classes).</summary>
        public int DataStart { get; init; }

        /// <summary>Where instance data ends (the struct size; for a class, the size minus the object header).</summary>
        public int DataEnd { get; init; }

        /// <summary>Instance fields in offset order, inherited fields included.</summary>
        public EquatableArray<FieldLayout> Fields { get; init; } = EquatableArray<FieldLayout>.Empty;

        /// <summary>Every padding hole, trailing padding included.</summary>
        public EquatableArray<PaddingHole> Holes { get; init; } = EquatableArray<PaddingHole>.Empty;

        /// <summary>Total padding bytes.</summary>
        public int Padding { get; init; }

        /// <summary>Padding after the last field.</summary>
        public int TrailingPadding { get; init; }

        /// <summary>Object-reference fields, those inside nested structs included.</summary>
        public int ReferenceCount { get; init; }

        /// <summary>Bytes the GC scans for references.</summary>
        public int GcTrackedBytes { get; init; }

        /// <summary>The smallest legal field order, or empty when the current order is already the smallest or
        /// the order is not the user's to choose.</summary>
        public EquatableArray<string> SuggestedOrder { get; init; } = EquatableArray<string>.Empty;

        /// <summary>Size with <see cref="SuggestedOrder"/>, or null with no suggestion.</summary>
        public int? SuggestedSize { get; init; }

        /// <summary>Why the layout is what it is, in plain words (e.g. "sequential not honoured: holds references").</summary>
        public EquatableArray<string> Notes { get; init; } = EquatableArray<string>.Empty;

        public bool HasSuggestion => SuggestedSize.HasValue;

        /// <summary>Bytes saved by <see cref="SuggestedOrder"/>.</summary>
        public int Saving => SuggestedSize.HasValue ? Size - SuggestedSize.Value : 0;
    }

    /// <summary>Why the engine gives no layout.</summary>
    public enum LayoutProblemKind
    {
        /// <summary>The runtime refuses to load the type (a TypeLoadException at run time).</summary>
        TypeLoadError,

        /// <summary>The engine cannot know (unresolved type, size that depends on the machine).</summary>
        Unknown,

        /// <summary>The type has no instance layout of its own (interface, open generic, static class...).</summary>
        NotApplicable,
    }

    /// <summary>An explicit "no layout, and why", never a guessed size.</summary>
    public sealed record LayoutProblem(string TypeName, LayoutProblemKind Kind, string Message);

    /// <summary>A layout, or the reason there is none.</summary>
    public sealed record LayoutResult(TypeLayout? Layout, LayoutProblem? Problem)
    {
        public static LayoutResult Success(TypeLayout layout) => new(layout, null);

        public static LayoutResult Failure(LayoutProblem problem) => new(null, problem);

        public bool IsSuccess => Layout is not null;
    }
}
