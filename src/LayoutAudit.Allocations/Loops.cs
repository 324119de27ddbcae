using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Allocations
{
    /// <summary>Finds the loop that runs an operation once per iteration, within the same method, lambda or local
    /// function (a lambda's body runs when it is invoked, not per iteration of the loop that creates it).</summary>
    internal static class Loops
    {
        public static ILoopOperation? Enclosing(IOperation operation)
        {
            var child = operation;
            for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
            {
                switch (parent)
                {
                    case IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation or IConstructorBodyOperation:
                        return null;

                    // A for loop's initializers and a foreach loop's collection run once, before the loop.
                    case IForLoopOperation forLoop when forLoop.Before.Contains(child):
                        continue;
                    case IForEachLoopOperation forEach when forEach.Collection == child:
                        continue;
                    case ILoopOperation loop:
                        return loop;
                }
            }

            return null;
        }

        /// <summary>"", or ", inside the 'for' loop at line 12" when <paramref name="operation"/> runs per iteration.</summary>
        public static string Suffix(IOperation operation)
        {
            var loop = Enclosing(operation);
            return loop is null ? "" : ", inside " + Name(loop) + " (once per iteration)";
        }

        /// <summary>"the 'foreach' loop at line 12".</summary>
        public static string Name(ILoopOperation loop)
        {
            string keyword = loop.Syntax switch
            {
                ForStatementSyntax => "for",
                CommonForEachStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword } => "await foreach",
                CommonForEachStatementSyntax => "foreach",
                DoStatementSyntax => "do",
                WhileStatementSyntax => "while",
                _ => "",
            };
            return "the '" + keyword + "' loop at line " + Describe.Line(loop.Syntax);
        }
    }
}

namespace LayoutAudit.Allocations
{
    /// <summary>The same question as <see cref="Loops"/>, for code the rule locates by syntax.</summary>
    internal static class SyntaxLoops
    {
        public static string Suffix(SyntaxNode node)
        {
            var child = node;
            foreach (var parent in node.Ancestors())
            {
                switch (parent)
                {
                    case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                        return "";
                    case ForStatementSyntax forLoop when child == forLoop.Declaration || forLoop.Initializers.Any(i => i == child):
                        break;
                    case CommonForEachStatementSyntax forEach when child == forEach.Expression:
                        break;
                    case ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax:
                        return ", inside the '" + Keyword(parent) + "' loop at line " + Describe.Line(parent) + " (once per iteration)";
                }

                child = parent;
            }

            return "";
        }

        private static string Keyword(SyntaxNode loop) => loop switch
        {
            ForStatementSyntax => "for",
            CommonForEachStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword } => "await foreach",
            CommonForEachStatementSyntax => "foreach",
            DoStatementSyntax => "do",
            _ => "while",
        };
    }
}
