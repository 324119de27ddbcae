using System.Threading;
using LayoutAudit.Core;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Symbols
{
    /// <summary>Predicts the CLR managed layout of types of one compilation, source or metadata alike.</summary>
    public sealed class LayoutEngine
    {
        public LayoutEngine(Compilation compilation, TargetPlatform? target = null)
        {
            Compilation = compilation;
            Target = target ?? TargetPlatform.FromCompilation(compilation);
        }

        public Compilation Compilation { get; }

        public TargetPlatform Target { get; }

        public LayoutResult Compute(ITypeSymbol type, CancellationToken cancellationToken = default)
        {
            return LayoutResult.Failure(new LayoutProblem(type.ToDisplayString(), LayoutProblemKind.Unknown, "not implemented yet"));
        }
    }
}
