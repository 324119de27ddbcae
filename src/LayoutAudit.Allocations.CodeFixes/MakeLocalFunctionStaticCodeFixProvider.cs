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

namespace LayoutAudit.Allocations.CodeFixes
{
    /// <summary>LA1003: marks a local function that captures nothing <c>static</c>, so that (since C# 11) the compiler
    /// caches its conversion to a delegate in a static field instead of allocating one each time. Offered only for an
    /// implicit conversion (<c>new Action(L)</c> always allocates) and only when the function still compiles as static.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeLocalFunctionStaticCodeFixProvider)), Shared]
    public sealed class MakeLocalFunctionStaticCodeFixProvider : CodeFixProvider
    {
        private const string Title = "Make the local function static";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DelegateAllocationAnalyzer.Id);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var document = context.Document;
            var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null
                || ((CSharpParseOptions)root.SyntaxTree.Options).LanguageVersion < LanguageVersion.CSharp11)
            {
                return; // before C# 11 the conversion of a static local function is not cached either
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                var declaration = LocalFunctionOf(root, model, diagnostic, context.CancellationToken);
                if (declaration is null)
                {
                    continue;
                }

                var fixedRoot = root.ReplaceNode(declaration, AddStatic(declaration));
                if (!await CompilesAsync(document.WithSyntaxRoot(fixedRoot), declaration.SpanStart, context.CancellationToken).ConfigureAwait(false))
                {
                    continue; // it uses a variable, 'this' or a capturing local function of the enclosing method
                }

                // Several conversions of one function make the same edit: Fix All merges them into one.
                context.RegisterCodeFix(
                    CodeAction.Create(Title, _ => Task.FromResult(document.WithSyntaxRoot(fixedRoot)), equivalenceKey: Title),
                    diagnostic);
            }
        }

        /// <summary>The declaration of the non-static local function whose method group the diagnostic converts.</summary>
        private static LocalFunctionStatementSyntax? LocalFunctionOf(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax group
                || group is BaseObjectCreationExpressionSyntax
                || model.GetSymbolInfo(group, cancellationToken).Symbol is not IMethodSymbol { MethodKind: MethodKind.LocalFunction, IsStatic: false } function)
            {
                return null;
            }

            var reference = function.OriginalDefinition.DeclaringSyntaxReferences.FirstOrDefault();
            return reference?.SyntaxTree == root.SyntaxTree
                ? root.FindNode(reference.Span, getInnermostNodeForTie: true) as LocalFunctionStatementSyntax
                : null;
        }

        /// <summary>The fixed document has no error in the member that declares the function.</summary>
        private static async Task<bool> CompilesAsync(Document document, int position, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var member = root?.FindToken(position).Parent?.AncestorsAndSelf().OfType<MemberDeclarationSyntax>().FirstOrDefault();
            return model is not null && member is not null
                && !model.GetDiagnostics(member.Span, cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error);
        }

        /// <summary><c>static</c> as the first modifier, taking over the leading trivia (the indentation) of what came first.</summary>
        private static LocalFunctionStatementSyntax AddStatic(LocalFunctionStatementSyntax declaration)
        {
            var first = declaration.Modifiers.Count > 0 ? declaration.Modifiers[0] : declaration.ReturnType.GetFirstToken();
            var staticKeyword = SyntaxFactory.Token(first.LeadingTrivia, SyntaxKind.StaticKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            var stripped = declaration.ReplaceToken(first, first.WithLeadingTrivia());
            return stripped.WithModifiers(stripped.Modifiers.Insert(0, staticKeyword));
        }
    }
}
