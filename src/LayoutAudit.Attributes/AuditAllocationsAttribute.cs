using System;

namespace LayoutAudit
{
    /// <summary>Marks code whose hidden heap allocations the allocation analyzers report: a method, a type (all its
    /// members), or, on the assembly, all of it.</summary>
    [AttributeUsage(
        AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property,
        AllowMultiple = false,
        Inherited = false)]
    public sealed class AuditAllocationsAttribute : Attribute
    {
    }
}
