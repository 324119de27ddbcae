using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LayoutAudit.Retention.CodeFixes
{
    /// <summary>LA2004: clears the slot the shift vacated, <c>items[count] = default;</c>, right after both the shift and
    /// the decrement have run (then <c>count</c> is the index of the vacated slot). Offered when the decrement is a
    /// statement of its own in the same block as the shift (or a statement containing it).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ClearVacatedSlotCodeFixProvider)), Shared]
    public sealed class ClearVacatedSlotCodeFixProvider : CodeFixProvider
    {
        private const string Title = "Clear the vacated slot";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(StaleTailAnalyzer.Id);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (diagnostic.AdditionalLocations.Count < 2
                    || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } shift
                    || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax array
                    || root.FindNode(diagnostic.AdditionalLocations[1].SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax decrement
                    || decrement.Parent is not ExpressionStatementSyntax decrementStatement
                    || CountOf(decrement) is not { } count
                    || Anchor(shift, decrementStatement) is not { } anchor)
                {
                    continue;
                }

                bool suppress = diagnostic.Properties.ContainsKey(StaleTailAnalyzer.SuppressNullableKey);
                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title,
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.InsertNodesAfter(anchor, new[] { ClearStatement(array, count, suppress, anchor) }))),
                        equivalenceKey: Title),
                    diagnostic);
            }
        }

        /// <summary>The variable the decrement lowers: <c>_size</c> in <c>_size--</c>, <c>--_size</c>, <c>_size -= 1</c>, <c>_size = _size - 1</c>.</summary>
        private static ExpressionSyntax? CountOf(ExpressionSyntax decrement) => decrement switch
        {
            PostfixUnaryExpressionSyntax postfix => postfix.Operand,
            PrefixUnaryExpressionSyntax prefix => prefix.Operand,
            AssignmentExpressionSyntax assignment => assignment.Left,
            _ => null,
        };

        /// <summary>The later of the decrement statement and the statement holding the shift, when they share a block.</summary>
        private static StatementSyntax? Anchor(SyntaxNode shift, StatementSyntax decrementStatement)
        {
            var shiftStatement = shift.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(s => s.Parent == decrementStatement.Parent);
            if (shiftStatement is null || decrementStatement.Parent is not (BlockSyntax or SwitchSectionSyntax))
            {
                return null;
            }

            return shiftStatement.SpanStart > decrementStatement.SpanStart ? shiftStatement : decrementStatement;
        }

        /// <summary><c>array[count] = default;</c> on its own line, indented like <paramref name="anchor"/>.</summary>
        private static StatementSyntax ClearStatement(ExpressionSyntax array, ExpressionSyntax count, bool suppress, StatementSyntax anchor)
        {
            ExpressionSyntax value = SyntaxFactory.LiteralExpression(SyntaxKind.DefaultLiteralExpression);
            if (suppress)
            {
                value = SyntaxFactory.PostfixUnaryExpression(SyntaxKind.SuppressNullableWarningExpression, value);
            }

            var element = SyntaxFactory.ElementAccessExpression(
                array.WithoutTrivia(),
                SyntaxFactory.BracketedArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(count.WithoutTrivia()))));
            var assignment = SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, element, value)
                .WithOperatorToken(SyntaxFactory.Token(SyntaxKind.EqualsToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space));

            var indentation = anchor.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
            var lineEnd = anchor.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            return SyntaxFactory.ExpressionStatement(assignment)
                .WithLeadingTrivia(indentation.Reverse())
                .WithTrailingTrivia(lineEnd.IsKind(SyntaxKind.EndOfLineTrivia) ? lineEnd : SyntaxFactory.ElasticCarriageReturnLineFeed);
        }
    }
}
