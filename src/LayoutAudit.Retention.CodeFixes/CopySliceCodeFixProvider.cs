using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LayoutAudit.Retention.CodeFixes
{
    /// <summary>LA2001: copies the escaping slice so that it owns its memory: <c>slice.ToArray()</c> (an array converts
    /// back to each view type), or for characters cut from a string, a new string: <c>new string(slice.Span).AsMemory()</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CopySliceCodeFixProvider)), Shared]
    public sealed class CopySliceCodeFixProvider : CodeFixProvider
    {
        private const string Title = "Copy the slice";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(SubSliceRetentionAnalyzer.Id);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(SubSliceRetentionAnalyzer.CopyKey, out string? copy)
                    || root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax slice
                    || slice is ImplicitObjectCreationExpressionSyntax)
                {
                    continue; // a captured slice, or a target-typed new() that has no type once copied: fixed by hand
                }

                bool asString = copy == SubSliceRetentionAnalyzer.CopyToString;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        asString ? "Copy the slice into a new string" : "Copy the slice (ToArray)",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(slice, Copy(slice, asString)))),
                        equivalenceKey: Title),
                    diagnostic);
            }
        }

        private static ExpressionSyntax Copy(ExpressionSyntax slice, bool asString)
        {
            var receiver = AsReceiver(slice.WithoutTrivia());
            ExpressionSyntax copy = asString
                ? Call(
                    SyntaxFactory.ObjectCreationExpression(SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.StringKeyword)))
                        .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(Member(receiver, "Span"))))),
                    "AsMemory")
                : Call(receiver, "ToArray");
            return copy.WithTriviaFrom(slice);
        }

        private static ExpressionSyntax Member(ExpressionSyntax receiver, string name) =>
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName(name));

        private static ExpressionSyntax Call(ExpressionSyntax receiver, string name) => SyntaxFactory.InvocationExpression(Member(receiver, name));

        /// <summary>The expression as the left side of <c>.Member</c>, in parentheses unless it binds tighter already.</summary>
        private static ExpressionSyntax AsReceiver(ExpressionSyntax expression) => expression switch
        {
            IdentifierNameSyntax or GenericNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax
                or ElementAccessExpressionSyntax or ObjectCreationExpressionSyntax or ParenthesizedExpressionSyntax
                or ThisExpressionSyntax or BaseExpressionSyntax => expression,
            _ => SyntaxFactory.ParenthesizedExpression(expression),
        };
    }
}
