using System;
using System.ComponentModel;

namespace LayoutAudit
{
    /// <summary>
    /// The layout the generator predicted for one <c>[AuditLayout]</c> type of this assembly, registered on the
    /// assembly so that <c>LayoutVerifier</c> and the build reports read it without reflection over user types.
    /// Written by the generator, not by hand.
    /// </summary>
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class PredictedLayoutAttribute : Attribute
    {
        /// <param name="type">The audited type.</param>
        /// <param name="layout">The prediction in <c>LayoutCodec</c> form or, when the type has no layout,
        /// <c>problem;Kind;reason</c>.</param>
        public PredictedLayoutAttribute(Type type, string layout)
        {
            Type = type;
            TypeName = type.ToString();
            Layout = layout;
        }

        /// <summary>For a type the assembly attribute cannot name with <c>typeof</c> (a private nested type).</summary>
        /// <param name="typeName">The type's reflection name (<c>Type.ToString()</c> form).</param>
        /// <param name="layout">As for the other constructor.</param>
        public PredictedLayoutAttribute(string typeName, string layout)
        {
            TypeName = typeName;
            Layout = layout;
        }

        /// <summary>The audited type, or null when it is registered by name.</summary>
        public Type? Type { get; }

        /// <summary>The audited type's reflection name.</summary>
        public string TypeName { get; }

        /// <summary>The encoded prediction.</summary>
        public string Layout { get; }
    }
}
