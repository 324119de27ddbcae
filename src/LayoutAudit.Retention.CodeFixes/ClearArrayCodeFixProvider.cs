using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace LayoutAudit.Retention.CodeFixes
{
    /// <summary>LA2003: passes <c>clearArray: true</c> to <c>ArrayPool&lt;T&gt;.Return</c>, or in generic code
    /// <c>clearArray: RuntimeHelpers.IsReferenceOrContainsReferences&lt;T&gt;()</c> (clearing costs nothing to skip when
    /// the type argument holds no references).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ClearArrayCodeFixProvider)), Shared]
    public sealed class ClearArrayCodeFixProvider : CodeFixProvider
    {
        private const string Title = "Clear the array when returning it to the pool";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(PooledArrayClearAnalyzer.Id);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } invocation
                    && diagnostic.Properties.TryGetValue(PooledArrayClearAnalyzer.ClearValueKey, out string? value))
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(Title, ct => FixAsync(context.Document, invocation, value == PooledArrayClearAnalyzer.ClearIfReferences, ct), equivalenceKey: Title),
                        diagnostic);
                }
            }
        }

        private static async Task<Document> FixAsync(Document document, InvocationExpressionSyntax invocation, bool askTheRuntime, CancellationToken cancellationToken)
        {
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (model?.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation || root is null)
            {
                return document;
            }

            var clearValue = askTheRuntime && operation.TargetMethod.Parameters[0].Type is IArrayTypeSymbol array
                ? IsReferenceOrContainsReferences(array.ElementType)
                : SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression);

            var arguments = invocation.ArgumentList;
            var existing = operation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 1 && a.ArgumentKind != ArgumentKind.DefaultValue)?.Syntax as ArgumentSyntax;
            ArgumentListSyntax newArguments;
            if (existing is not null)
            {
                newArguments = arguments.ReplaceNode(existing.Expression, clearValue.WithTriviaFrom(existing.Expression));
            }
            else
            {
                var clearArgument = SyntaxFactory.Argument(clearValue)
                    .WithNameColon(SyntaxFactory.NameColon(SyntaxFactory.IdentifierName("clearArray")));
                var separator = SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space);
                var items = arguments.Arguments.GetWithSeparators();
                newArguments = arguments.WithArguments(SyntaxFactory.SeparatedList<ArgumentSyntax>(items.Count == 0 ? items.Add(clearArgument) : items.Add(separator).Add(clearArgument)));
            }

            var changed = document.WithSyntaxRoot(root.ReplaceNode(arguments, newArguments));
            return askTheRuntime
                ? await ImportAdder.AddImportsAsync(changed, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false)
                : changed;
        }

        /// <summary><c>RuntimeHelpers.IsReferenceOrContainsReferences&lt;T&gt;()</c>, written fully qualified and marked so that
        /// the cleanup adds the using directive and shortens it.</summary>
        private static ExpressionSyntax IsReferenceOrContainsReferences(ITypeSymbol elementType)
        {
            var helpers = SyntaxFactory.ParseTypeName("global::System.Runtime.CompilerServices.RuntimeHelpers")
                .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
            var method = SyntaxFactory.GenericName(SyntaxFactory.Identifier("IsReferenceOrContainsReferences"))
                .WithTypeArgumentList(SyntaxFactory.TypeArgumentList(SyntaxFactory.SingletonSeparatedList(
                    SyntaxFactory.ParseTypeName(elementType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).WithAdditionalAnnotations(Simplifier.Annotation))));
            return SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, helpers, method));
        }
    }
}
