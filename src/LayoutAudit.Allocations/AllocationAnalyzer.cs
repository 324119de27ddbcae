using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LayoutAudit.Allocations
{
    /// <summary>What every allocation rule does the same way: skip generated code, run concurrently, and register its
    /// actions only in compilations with audited code.</summary>
    public abstract class AllocationAnalyzer : DiagnosticAnalyzer
    {
        public sealed override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var scope = AllocationScope.For(start.Compilation, start.Options);
                if (scope is not null)
                {
                    Register(start, scope);
                }
            });
        }

        /// <summary>Registers the rule's actions, each wrapped by <see cref="AllocationScope.Only"/>.</summary>
        internal abstract void Register(CompilationStartAnalysisContext start, AllocationScope scope);
    }

    internal static class ScopeGuard
    {
        /// <summary><paramref name="action"/>, run only on operations in audited code that emit IL (not attribute
        /// arguments or parameter default values, which are metadata).</summary>
        public static Action<OperationAnalysisContext> Only(this AllocationScope scope, Action<OperationAnalysisContext> action) => context =>
        {
            if (scope.Contains(context.ContainingSymbol, context.Operation.Syntax.SyntaxTree) && !InAttributeOrDefault(context.Operation.Syntax))
            {
                action(context);
            }
        };

        /// <summary>The same, with a cheap test of the operation alone (no symbols or syntax walks) run first: most
        /// operations of a kind are not candidates, and they then skip the scope test.</summary>
        public static Action<OperationAnalysisContext> Only(this AllocationScope scope, Func<IOperation, bool> candidate, Action<OperationAnalysisContext> action)
        {
            var scoped = scope.Only(action);
            return context =>
            {
                if (candidate(context.Operation))
                {
                    scoped(context);
                }
            };
        }

        private static bool InAttributeOrDefault(SyntaxNode syntax)
        {
            for (var node = syntax; node is not null; node = node.Parent)
            {
                if (node is AttributeSyntax or ParameterSyntax)
                {
                    return true;
                }

                if (node is MemberDeclarationSyntax or StatementSyntax)
                {
                    return false;
                }
            }

            return false;
        }
    }
}
