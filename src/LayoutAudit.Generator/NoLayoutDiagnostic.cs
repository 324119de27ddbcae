using Microsoft.CodeAnalysis;

namespace LayoutAudit.Generator
{
    /// <summary>LA0010: an <c>[AuditLayout]</c> type the engine can give no layout (an open generic type, a type the
    /// runtime would refuse to load, a size that depends on the machine). Not reported when the compiler already
    /// reports the cause (an unresolved type, an error in the declaration).</summary>
    internal static class NoLayoutDiagnostic
    {
        public const string Id = "LA0010";

        public static readonly DiagnosticDescriptor Rule = new(
            Id,
            "Audited type has no layout",
            "'{0}' has no layout to audit: {1}",
            "Layout",
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "LayoutAudit cannot predict a layout for this [AuditLayout] type, so it reports no layout and registers no prediction for it.",
            helpLinkUri: "https://github.com/layoutaudit/layoutaudit/blob/main/docs/rules/" + Id + ".md");
    }
}
