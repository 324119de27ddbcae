using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LayoutAudit.Allocations.CodeFixes
{
    /// <summary>LA1001: <c>value.GetType()</c> on a struct or enum becomes <c>typeof(TheType)</c>. A value type cannot be
    /// derived from, so the runtime type is the static type; <c>typeof</c> loads it from a token, without boxing.
    /// Offered only when dropping the receiver drops no side effect and no null dereference: a local, a parameter,
    /// <c>this</c>, or fields reached from those through values.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseTypeOfCodeFixProvider)), Shared]
    public sealed class UseTypeOfCodeFixProvider : CodeFixProvider
    {
        private const string Title = "Use typeof";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(BoxingAnalyzer.Id);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                while (node.Parent is ParenthesizedExpressionSyntax parenthesized)
                {
                    node = parenthesized; // the operation tree skips parentheses: (c).GetType() reports c
                }

                var call = GetTypeCall(node, model, context.CancellationToken, out var type);
                if (call is null || type is null)
                {
                    continue;
                }

                var typeOf = SyntaxFactory.TypeOfExpression(SyntaxFactory.ParseTypeName(type.ToMinimalDisplayString(model, call.SpanStart)))
                    .WithTriviaFrom(call);
                context.RegisterCodeFix(
                    CodeAction.Create(Title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(call, typeOf))), equivalenceKey: Title),
                    diagnostic);
            }
        }

        /// <summary>The <c>GetType()</c> call whose receiver <paramref name="node"/> is (or the receiverless call itself,
        /// inside a struct), when the receiver's static type is its runtime type and can be dropped.</summary>
        private static InvocationExpressionSyntax? GetTypeCall(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken, out ITypeSymbol? type)
        {
            type = null;
            InvocationExpressionSyntax? call;
            ExpressionSyntax? receiver;
            if (node is InvocationExpressionSyntax { Expression: IdentifierNameSyntax } implicitThis)
            {
                call = implicitThis;
                receiver = null;
            }
            else if (node is IdentifierNameSyntax { Parent: InvocationExpressionSyntax implicitThisCall } name && implicitThisCall.Expression == name)
            {
                call = implicitThisCall;
                receiver = null;
            }
            else if (node is ExpressionSyntax explicitReceiver
                && explicitReceiver.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax invocation } access
                && access.Expression == explicitReceiver)
            {
                call = invocation;
                receiver = explicitReceiver;
            }
            else
            {
                return null;
            }

            if (call.ArgumentList.Arguments.Count != 0
                || model.GetSymbolInfo(call, cancellationToken).Symbol is not IMethodSymbol { Name: "GetType", ContainingType.SpecialType: SpecialType.System_Object })
            {
                return null;
            }

            var receiverType = receiver is null
                ? model.GetEnclosingSymbol(call.SpanStart, cancellationToken)?.ContainingType
                : model.GetTypeInfo(receiver, cancellationToken).Type;
            if (receiverType is not { IsValueType: true, TypeKind: TypeKind.Struct or TypeKind.Enum }
                || receiverType.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T // GetType() of a nullable is its value's type, or throws
                || receiverType.IsRefLikeType
                || (receiver is not null && !IsPureValue(receiver, model, cancellationToken)))
            {
                return null;
            }

            type = receiverType;
            return call;
        }

        /// <summary>Reading it runs no code and cannot throw: a local, a parameter, <c>this</c>, a static field, or a
        /// field of such a value (of a value type, or <c>this</c>, which is never null).</summary>
        private static bool IsPureValue(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    return IsPureValue(parenthesized.Expression, model, cancellationToken);
                case ThisExpressionSyntax:
                    return true;
                case IdentifierNameSyntax identifier:
                    return model.GetSymbolInfo(identifier, cancellationToken).Symbol is ILocalSymbol or IParameterSymbol or IFieldSymbol;
                case MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } access:
                    if (model.GetSymbolInfo(access, cancellationToken).Symbol is not IFieldSymbol field)
                    {
                        return false;
                    }

                    if (field.IsStatic)
                    {
                        return model.GetSymbolInfo(access.Expression, cancellationToken).Symbol is INamedTypeSymbol;
                    }

                    return (access.Expression is ThisExpressionSyntax || model.GetTypeInfo(access.Expression, cancellationToken).Type is { IsValueType: true })
                        && IsPureValue(access.Expression, model, cancellationToken);
                default:
                    return false;
            }
        }
    }
}
