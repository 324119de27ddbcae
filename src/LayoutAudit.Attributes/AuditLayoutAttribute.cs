using System;

namespace LayoutAudit
{
    /// <summary>
    /// Asks LayoutAudit for the exact managed layout of this type: at build time the generator writes its
    /// pahole-style report and registers the prediction (checked at run time by <c>LayoutVerifier.Verify&lt;T&gt;()</c>),
    /// and the layout analyzers check the limits set here.
    /// </summary>
    [AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class AuditLayoutAttribute : Attribute
    {
        /// <summary>Bytes per cache line, for the report's boundary markers and the false-sharing rule (LA0003).
        /// Default 64. When left unset, the analyzers read <c>layout_audit.cache_line_size</c> from .editorconfig.</summary>
        public int CacheLineSize { get; set; } = 64;

        /// <summary>Padding bytes the type may have before LA0002 reports it; -1 (the default) for no budget.</summary>
        public int PaddingBudget { get; set; } = -1;

        /// <summary>Size in bytes the type must not exceed (LA0002); -1 (the default) for no limit. For a class,
        /// the heap size of an instance, object header included.</summary>
        public int MaxSize { get; set; } = -1;
    }
}
