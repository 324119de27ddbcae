using System;
using System.Runtime.CompilerServices;
using System.Threading;
using LayoutAudit.Core;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Symbols
{
    /// <summary>Predicts the CLR managed layout of the types of one compilation, source or metadata alike.
    /// Thread-safe; results are cached for the compilation's lifetime.</summary>
    public sealed class LayoutEngine
    {
        private static readonly ConditionalWeakTable<Compilation, LayoutEngine> s_engines = new();
        private readonly object _gate = new();
        private readonly ShapeBuilder _shapes;
        private readonly LayoutCalculator _calculator;

        public LayoutEngine(Compilation compilation, TargetPlatform? target = null)
        {
            Compilation = compilation;
            Target = target ?? TargetPlatform.FromCompilation(compilation);
            _shapes = new ShapeBuilder(compilation, Target);
            _calculator = new LayoutCalculator(Target.PointerSize, eightByteAlignedLongs: Target != TargetPlatform.X86);
        }

        public Compilation Compilation { get; }

        public TargetPlatform Target { get; }

        /// <summary>The shared engine of a compilation for its own target (generators and analyzers of one
        /// compilation share metadata reads through it).</summary>
        public static LayoutEngine For(Compilation compilation) => s_engines.GetValue(compilation, c => new LayoutEngine(c));

        public LayoutResult Compute(ITypeSymbol type, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                try
                {
                    return _calculator.Compute(_shapes.ForSymbol(type, cancellationToken), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    throw;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Malformed metadata or code must not take the compiler down: say so instead of guessing.
                    return LayoutResult.Failure(new LayoutProblem(type.ToDisplayString(), LayoutProblemKind.Unknown, "the layout could not be computed: " + e.GetType().Name + ": " + e.Message));
                }
            }
        }
    }
}
