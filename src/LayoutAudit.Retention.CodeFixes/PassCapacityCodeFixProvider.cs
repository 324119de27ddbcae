using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LayoutAudit.Retention.CodeFixes
{
    /// <summary>LA2006: passes the loop's count as the first constructor argument: <c>new List&lt;T&gt;(items.Length)</c>,
    /// <c>new Dictionary&lt;K, V&gt;(n, comparer)</c>, <c>new StringBuilder(items.Count * 2)</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PassCapacityCodeFixProvider)), Shared]
    public sealed class PassCapacityCodeFixProvider : CodeFixProvider
    {
        private const string Title = "Pass the capacity";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(MissingCapacityAnalyzer.Id);

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
                if (!diagnostic.Properties.ContainsKey(MissingCapacityAnalyzer.FixableKey)
                    || diagnostic.AdditionalLocations.Count < 1
                    || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not BaseObjectCreationExpressionSyntax creation
                    || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax source)
                {
                    continue; // the count is declared after the collection: moving code is for the author
                }

                var capacity = Capacity(
                    source,
                    diagnostic.Properties.TryGetValue(MissingCapacityAnalyzer.CountMemberKey, out string? member) ? member ?? string.Empty : string.Empty,
                    diagnostic.Properties.TryGetValue(MissingCapacityAnalyzer.InclusiveKey, out string? inclusive) && inclusive == "true",
                    diagnostic.Properties.TryGetValue(MissingCapacityAnalyzer.PerIterationKey, out string? times) && int.TryParse(times, NumberStyles.None, CultureInfo.InvariantCulture, out int perIteration) ? perIteration : 1);
                context.RegisterCodeFix(
                    CodeAction.Create(Title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(creation, WithCapacity(creation, capacity)))), equivalenceKey: Title),
                    diagnostic);
            }
        }

        /// <summary><c>items.Length</c>, <c>n + 1</c>, <c>(a + b) * 2</c>: the loop's count times what each iteration adds.</summary>
        private static ExpressionSyntax Capacity(ExpressionSyntax source, string member, bool inclusive, int perIteration)
        {
            ExpressionSyntax count = source.WithoutTrivia();
            if (member.Length > 0)
            {
                count = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Parenthesized(count), SyntaxFactory.IdentifierName(member));
            }

            if (inclusive)
            {
                count = SyntaxFactory.BinaryExpression(SyntaxKind.AddExpression, count, Number(1));
            }

            if (perIteration > 1)
            {
                count = SyntaxFactory.BinaryExpression(SyntaxKind.MultiplyExpression, count is BinaryExpressionSyntax ? SyntaxFactory.ParenthesizedExpression(count) : count, Number(perIteration));
            }

            return count;
        }

        private static ExpressionSyntax Parenthesized(ExpressionSyntax expression) =>
            expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or ThisExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax
                ? expression
                : SyntaxFactory.ParenthesizedExpression(expression);

        private static LiteralExpressionSyntax Number(int value) => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value));

        /// <summary>The creation with <paramref name="capacity"/> as its first argument, everything else where it was.</summary>
        private static BaseObjectCreationExpressionSyntax WithCapacity(BaseObjectCreationExpressionSyntax creation, ExpressionSyntax capacity)
        {
            var argument = SyntaxFactory.Argument(capacity);
            if (creation.ArgumentList is { } arguments)
            {
                var items = arguments.Arguments.GetWithSeparators();
                var withCapacity = items.Count == 0
                    ? items.Add(argument)
                    : items.Insert(0, SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space)).Insert(0, argument);
                return creation.WithArgumentList(arguments.WithArguments(SyntaxFactory.SeparatedList<ArgumentSyntax>(withCapacity)));
            }

            // new List<int> { }: the argument list goes between the type and the braces, taking the type's trailing space.
            if (creation is ObjectCreationExpressionSyntax { Type: var type } objectCreation)
            {
                return objectCreation
                    .WithType(type.WithoutTrailingTrivia())
                    .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(argument)).WithTrailingTrivia(type.GetTrailingTrivia()));
            }

            return creation;
        }
    }
}
