using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Allocations.CodeFixes
{
    /// <summary>LA1004: <c>M(a, b, c)</c> becomes <c>M([a, b, c])</c> when that binds to an overload of the same method that
    /// takes a <c>ReadOnlySpan&lt;T&gt;</c> or <c>Span&lt;T&gt;</c> where it took the <c>params T[]</c>, every other
    /// parameter the same. The compiler then builds the span in an inline array on the stack. Not offered where it would
    /// not: before C# 12, without <c>InlineArrayAttribute</c> (then the span wraps a new array), or when the rewritten
    /// call binds elsewhere or does not compile.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PassSpanCodeFixProvider)), Shared]
    public sealed class PassSpanCodeFixProvider : CodeFixProvider
    {
        private const string Title = "Pass a span to the span overload";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(ParamsArrayAnalyzer.Id);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var document = context.Document;
            var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null
                || ((CSharpParseOptions)root.SyntaxTree.Options).LanguageVersion < LanguageVersion.CSharp12
                || model.Compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.InlineArrayAttribute") is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call
                    || model.GetOperation(call, context.CancellationToken) is not IInvocationOperation invocation)
                {
                    continue;
                }

                var rewritten = WithSpanArgument(call, invocation);
                if (rewritten is null
                    || !await BindsToSpanOverloadAsync(document, root, call, rewritten, invocation.TargetMethod, context.CancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(Title, _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(call, rewritten))), equivalenceKey: Title),
                    diagnostic);
            }
        }

        /// <summary>The call with its params arguments gathered into one collection expression, or null when they are not
        /// the trailing, unnamed arguments of the call.</summary>
        private static InvocationExpressionSyntax? WithSpanArgument(InvocationExpressionSyntax call, IInvocationOperation invocation)
        {
            var paramsArgument = invocation.Arguments.FirstOrDefault(a => a.ArgumentKind == ArgumentKind.ParamArray);
            if (paramsArgument?.Value is not IArrayCreationOperation { Initializer: { ElementValues.Length: > 0 } initializer })
            {
                return null;
            }

            var arguments = call.ArgumentList.Arguments;
            int first = arguments.Count - initializer.ElementValues.Length;
            if (first < 0)
            {
                return null;
            }

            var elements = new List<CollectionElementSyntax>();
            for (int i = 0; i < initializer.ElementValues.Length; i++)
            {
                var argument = arguments[first + i];
                if (argument.NameColon is not null || !argument.RefKindKeyword.IsKind(SyntaxKind.None) || initializer.ElementValues[i].Syntax != argument.Expression)
                {
                    return null;
                }

                elements.Add(SyntaxFactory.ExpressionElement(argument.Expression.WithoutTrivia()));
            }

            var collection = SyntaxFactory.CollectionExpression(SyntaxFactory.SeparatedList(elements, Enumerable.Repeat(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space), elements.Count - 1)));
            var spanArgument = SyntaxFactory.Argument(collection).WithTriviaFrom(arguments[first]);
            var kept = arguments.GetWithSeparators().Take(first * 2).ToList(); // the leading arguments with their commas
            kept.Add(spanArgument);
            return call.WithArgumentList(call.ArgumentList.WithArguments(SyntaxFactory.SeparatedList<ArgumentSyntax>(kept)));
        }

        /// <summary>The rewritten call compiles and calls a sibling of <paramref name="original"/> that differs only in
        /// taking a span of the same element type where it took the array.</summary>
        private static async Task<bool> BindsToSpanOverloadAsync(Document document, SyntaxNode root, InvocationExpressionSyntax call, InvocationExpressionSyntax rewritten, IMethodSymbol original, CancellationToken cancellationToken)
        {
            var annotation = new SyntaxAnnotation();
            var fixedDocument = document.WithSyntaxRoot(root.ReplaceNode(call, rewritten.WithAdditionalAnnotations(annotation)));
            var fixedRoot = await fixedDocument.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var fixedModel = await fixedDocument.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (fixedRoot?.GetAnnotatedNodes(annotation).FirstOrDefault() is not InvocationExpressionSyntax fixedCall
                || fixedModel?.GetOperation(fixedCall, cancellationToken) is not IInvocationOperation { TargetMethod: var target }
                || fixedModel.GetDiagnostics(fixedCall.Span, cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                return false;
            }

            // The symbols come from two compilations: compared by their fully qualified names.
            var parameters = original.Parameters;
            if (target.Name != original.Name
                || Name(target.ContainingType.OriginalDefinition) != Name(original.ContainingType.OriginalDefinition)
                || target.Parameters.Length != parameters.Length
                || parameters[parameters.Length - 1].Type is not IArrayTypeSymbol { Rank: 1 } array
                || target.Parameters[parameters.Length - 1].Type is not INamedTypeSymbol { Name: "ReadOnlySpan" or "Span", TypeArguments.Length: 1, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } span
                || Name(span.TypeArguments[0]) != Name(array.ElementType))
            {
                return false;
            }

            for (int i = 0; i < parameters.Length - 1; i++)
            {
                if (Name(target.Parameters[i].Type) != Name(parameters[i].Type) || target.Parameters[i].RefKind != parameters[i].RefKind)
                {
                    return false;
                }
            }

            return true;
        }

        private static string Name(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
    }
}
