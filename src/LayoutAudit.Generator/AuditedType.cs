using LayoutAudit.Core;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace LayoutAudit.Generator
{
    /// <summary>
    /// What the generator knows about one <c>[AuditLayout]</c> type: names, options and the engine's answer. Only
    /// values (no symbols, syntax or compilations), so the incremental pipeline can compare runs by equality and
    /// skip the output of every type whose model did not change.
    /// </summary>
    /// <param name="Namespace">The containing namespace, empty for the global namespace.</param>
    /// <param name="Name">The type as C# names it inside its namespace, e.g. <c>Outer.Inner</c>.</param>
    /// <param name="ReflectionName">The reflection name, e.g. <c>Ns.Outer+Inner</c>: the registration's key at run time.</param>
    /// <param name="TypeOfName">The fully qualified name for <c>typeof</c>, or null when an assembly attribute cannot
    /// name the type (private nested, file-local or generic types are registered by reflection name).</param>
    /// <param name="Options">The attribute's options.</param>
    /// <param name="Layout">The predicted layout, or null with <paramref name="Problem"/>.</param>
    /// <param name="Problem">Why there is no layout.</param>
    /// <param name="ProblemLocation">Where to report the problem (null when it is not reported).</param>
    /// <param name="CanRegister">Whether the compilation has <c>LayoutAudit.PredictedLayoutAttribute</c> to register with.</param>
    internal sealed record AuditedType(
        string Namespace,
        string Name,
        string ReflectionName,
        string? TypeOfName,
        AuditOptions Options,
        TypeLayout? Layout,
        LayoutProblem? Problem,
        LocationInfo? ProblemLocation,
        bool CanRegister)
    {
        public string FullName => Namespace.Length == 0 ? Name : Namespace + "." + Name;
    }

    /// <summary>The named arguments of <c>[AuditLayout]</c> the generator uses.</summary>
    /// <param name="CacheLineSize">Bytes per cache line for the report's boundary markers; 0 for none.</param>
    /// <param name="PaddingBudget">Padding bytes allowed, -1 for no budget.</param>
    /// <param name="MaxSize">Largest size allowed, -1 for no limit.</param>
    internal sealed record AuditOptions(int CacheLineSize, int PaddingBudget, int MaxSize)
    {
        public static AuditOptions Default { get; } = new(64, -1, -1);
    }

    /// <summary>A source location as values (a <see cref="Location"/> holds its syntax tree).</summary>
    internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public static LocationInfo From(Location location) =>
            new(location.SourceTree?.FilePath ?? "", location.SourceSpan, location.GetLineSpan().Span);

        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
    }
}
