using System.Collections.Generic;
using LayoutAudit.Core;

namespace LayoutAudit.Runtime
{
    /// <summary>One instance field as the running runtime placed it.</summary>
    /// <param name="Name">The metadata name.</param>
    /// <param name="DeclaringType">Reflection name of the declaring type (<c>Type.ToString()</c> form).</param>
    /// <param name="TypeName">The field's type, reflection form.</param>
    /// <param name="Offset">From the start of a struct; for a class, from the object reference (method-table pointer at 0).</param>
    /// <param name="Size">Bytes the field occupies.</param>
    /// <param name="IsReference">Whether it is an object reference.</param>
    public sealed record MeasuredField(string Name, string DeclaringType, string TypeName, int Offset, int Size, bool IsReference);

    /// <summary>A live type's real layout, measured in this process.</summary>
    /// <param name="Name">Reflection name (<c>Type.ToString()</c> form).</param>
    /// <param name="Category">Struct or class.</param>
    /// <param name="Size">Struct: its size. Class: heap size of an instance, object header and method-table pointer included.</param>
    /// <param name="Fields">Every instance field, inherited ones included, by offset.</param>
    public sealed record MeasuredLayout(string Name, TypeCategory Category, int Size, IReadOnlyList<MeasuredField> Fields);
}
