using System;
using System.Collections.Generic;

namespace LayoutAudit.Core
{
    /// <summary>The primitive element types the CLR lays out by size alone.</summary>
    public enum PrimitiveKind
    {
        Boolean,
        Char,
        SByte,
        Byte,
        Int16,
        UInt16,
        Int32,
        UInt32,
        Int64,
        UInt64,
        Single,
        Double,
        IntPtr,
        UIntPtr,
        Pointer,
        FunctionPointer,
    }

    /// <summary>What a field holds, as far as layout is concerned. Front ends (Roslyn symbols, metadata)
    /// describe types with these; the rules in <see cref="LayoutCalculator"/> only read them.</summary>
    public abstract class FieldTypeShape
    {
        protected FieldTypeShape(string displayName) => DisplayName = displayName;

        /// <summary>The type as C# writes it.</summary>
        public string DisplayName { get; }
    }

    /// <summary>A primitive, enum (by its underlying type), pointer or function pointer.</summary>
    public sealed class PrimitiveFieldType : FieldTypeShape
    {
        public PrimitiveFieldType(PrimitiveKind kind, string displayName)
            : base(displayName) => Kind = kind;

        public PrimitiveKind Kind { get; }
    }

    /// <summary>An object reference (class, interface, array, string, delegate).</summary>
    public sealed class ReferenceFieldType : FieldTypeShape
    {
        public ReferenceFieldType(string displayName)
            : base(displayName)
        {
        }
    }

    /// <summary>A managed pointer: a <c>ref</c> field of a ref struct.</summary>
    public sealed class ByRefFieldType : FieldTypeShape
    {
        public ByRefFieldType(string displayName)
            : base(displayName)
        {
        }
    }

    /// <summary>A struct stored inline. Resolved lazily so that layout cycles can be detected, not followed.</summary>
    public sealed class ValueFieldType : FieldTypeShape
    {
        private readonly Func<TypeShape> _resolve;
        private TypeShape? _shape;

        public ValueFieldType(string displayName, Func<TypeShape> resolve)
            : base(displayName) => _resolve = resolve;

        public TypeShape Shape => _shape ??= _resolve();
    }

    /// <summary>A field whose type the front end could not describe; the type gets no layout.</summary>
    public sealed class UnknownFieldType : FieldTypeShape
    {
        public UnknownFieldType(string displayName, LayoutProblemKind kind, string reason)
            : base(displayName)
        {
            Kind = kind;
            Reason = reason;
        }

        public LayoutProblemKind Kind { get; }

        public string Reason { get; }
    }

    /// <summary>One instance field as declared, in metadata order.</summary>
    public sealed class FieldShape
    {
        public FieldShape(string name, FieldTypeShape type, int? explicitOffset)
        {
            Name = name;
            Type = type;
            ExplicitOffset = explicitOffset;
        }

        public string Name { get; }

        public FieldTypeShape Type { get; }

        /// <summary>The <c>FieldOffset</c> of an explicit-layout field.</summary>
        public int? ExplicitOffset { get; }
    }

    /// <summary>A type as the CLR's layout rules see it: its declared layout and its instance fields.</summary>
    public sealed class TypeShape
    {
        public TypeShape(string name, string displayName, bool isValueType)
        {
            Name = name;
            DisplayName = displayName;
            IsValueType = isValueType;
        }

        /// <summary>Reflection full name.</summary>
        public string Name { get; }

        public string DisplayName { get; }

        public bool IsValueType { get; }

        public LayoutKindName Layout { get; set; }

        /// <summary><c>StructLayout.Pack</c>; 0 when not given.</summary>
        public int Pack { get; set; }

        /// <summary><c>StructLayout.Size</c>; 0 when not given.</summary>
        public int Size { get; set; }

        /// <summary><c>[InlineArray(n)]</c> length; null when not an inline array.</summary>
        public int? InlineArrayLength { get; set; }

        /// <summary>Alignment the runtime imposes on some of its own structs (Vector128&lt;T&gt;, Int128...).</summary>
        public int? IntrinsicAlignment { get; set; }

        public bool IsByRefLike { get; set; }

        /// <summary>The module (assembly) that defines the type: layouts that cross module boundaries differ.</summary>
        public string Module { get; set; } = "";

        /// <summary>Whether that module is a ReadyToRun (precompiled) image. The loader then starts a class's
        /// fields at a pointer-aligned offset when its base class's layout comes from another module, so that
        /// precompiled code survives changes to the other module.</summary>
        public bool IsReadyToRun { get; set; }

        /// <summary>A constructed generic type with a type argument from another module: its layout then
        /// belongs to more than one module.</summary>
        public bool HasTypeArgumentsFromOtherModules { get; set; }

        /// <summary>A constructed generic type (its own or an enclosing type's arguments).</summary>
        public bool IsGenericInstantiation { get; set; }

        /// <summary>Base class of a class (null for System.Object and for value types).</summary>
        public TypeShape? BaseType { get; set; }

        public IReadOnlyList<FieldShape> Fields { get; set; } = Array.Empty<FieldShape>();

        /// <summary>Set when the front end already knows there is no layout (and why).</summary>
        public LayoutProblem? Problem { get; set; }
    }
}
