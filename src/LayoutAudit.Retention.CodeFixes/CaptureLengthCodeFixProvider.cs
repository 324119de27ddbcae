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
using Microsoft.CodeAnalysis.Editing;

namespace LayoutAudit.Retention.CodeFixes
{
    /// <summary>LA2005, for the one case where moving the read out of the lambda cannot change what the code does: the
    /// lambda reads only the length of an array variable that is never replaced and is not null. The fix reads the length
    /// into a local just before the statement that creates the lambda (<c>int dataLength = data.Length;</c>) and the lambda
    /// captures that instead. Elements, counts and stream lengths may change before the lambda runs: no fix for them.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CaptureLengthCodeFixProvider)), Shared]
    public sealed class CaptureLengthCodeFixProvider : CodeFixProvider
    {
        private const string Title = "Capture only the length";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(LongLivedCaptureAnalyzer.Id);

        // Several lambdas of one statement may each get a local inserted before it: one editor applies them all.
        public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(
            async (fixAllContext, document, diagnostics) => await FixAsync(document, diagnostics, fixAllContext.CancellationToken).ConfigureAwait(false));

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
                if (Plan(root, model, diagnostic) is not null)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(Title, token => FixAsync(context.Document, new[] { diagnostic }, token), equivalenceKey: Title),
                        diagnostic);
                }
            }
        }

        /// <summary>The lambda, the statement that creates it (in a block) and the array property it reads, when the
        /// analyzer found the read safe to move and the array is in scope before that statement.</summary>
        private static (AnonymousFunctionExpressionSyntax Lambda, StatementSyntax Statement, IdentifierNameSyntax Variable, string Property)? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
        {
            if (!diagnostic.Properties.TryGetValue(LongLivedCaptureAnalyzer.HoistablePropertyKey, out string? property)
                || property is null
                || diagnostic.AdditionalLocations.Count < 1
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not IdentifierNameSyntax variable
                || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not AnonymousFunctionExpressionSyntax lambda
                || lambda.Ancestors().OfType<StatementSyntax>().FirstOrDefault() is not { Parent: BlockSyntax } statement)
            {
                return null; // e.g. an expression-bodied member: no statement to put the local before
            }

            // 'if (x is int[] data && Start(() => data.Length))', or the parameter of an enclosing lambda of the statement:
            // the array does not exist before the statement.
            var declared = model.GetSymbolInfo(variable).Symbol?.DeclaringSyntaxReferences ?? ImmutableArray<SyntaxReference>.Empty;
            if (declared.IsEmpty || declared.Any(d => d.SyntaxTree == root.SyntaxTree && statement.Span.IntersectsWith(d.Span)))
            {
                return null;
            }

            return (lambda, statement, variable, property);
        }

        private static async Task<Document> FixAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return document;
            }

            var editor = new SyntaxEditor(root, document.Project.Solution.Services);
            var movedTrivia = new HashSet<StatementSyntax>();
            var taken = new HashSet<string>(root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
            var replaced = new HashSet<SyntaxNode>();
            var plans = diagnostics.Select(d => Plan(root, model, d)).OfType<(AnonymousFunctionExpressionSyntax Lambda, StatementSyntax Statement, IdentifierNameSyntax Variable, string Property)>();

            // Outer lambdas first: a lambda nested in one already fixed then reads the new local and needs nothing more.
            foreach (var plan in plans.OrderBy(p => p.Lambda.SpanStart).ThenByDescending(p => p.Lambda.Span.Length))
            {
                var reads = plan.Lambda.DescendantNodes().OfType<MemberAccessExpressionSyntax>()
                    .Where(access => access.Expression is IdentifierNameSyntax identifier
                        && identifier.Identifier.ValueText == plan.Variable.Identifier.ValueText
                        && access.Name.Identifier.ValueText == plan.Property
                        && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, model.GetSymbolInfo(plan.Variable, cancellationToken).Symbol))
                    .ToList();
                if (reads.Count == 0 || reads.Any(replaced.Contains))
                {
                    continue;
                }

                string name = UniqueName(plan.Variable.Identifier.ValueText + plan.Property, taken, model, plan.Statement.SpanStart);
                foreach (var read in reads)
                {
                    replaced.Add(read);
                    editor.ReplaceNode(read, SyntaxFactory.IdentifierName(name).WithTriviaFrom(read));
                }

                // The first local inserted before a statement takes over its leading comments and blank lines.
                var indentation = Indentation(plan.Statement);
                var leading = movedTrivia.Add(plan.Statement) ? plan.Statement.GetLeadingTrivia() : indentation;
                editor.ReplaceNode(plan.Statement, (current, _) => current.WithLeadingTrivia(indentation));
                editor.InsertBefore(plan.Statement, Declaration(name, plan.Variable.Identifier.ValueText, plan.Property, plan.Statement).WithLeadingTrivia(leading));
            }

            return document.WithSyntaxRoot(editor.GetChangedRoot());
        }

        /// <summary><c>dataLength</c>, or <c>dataLength2</c>... when the name is already used in the file or in scope.</summary>
        private static string UniqueName(string baseName, HashSet<string> taken, SemanticModel model, int position)
        {
            string name = baseName;
            for (int suffix = 2; taken.Contains(name) || !model.LookupSymbols(position, name: name).IsEmpty; suffix++)
            {
                name = baseName + suffix;
            }

            taken.Add(name);
            return name;
        }

        /// <summary>The whitespace that indents <paramref name="statement"/> on its line.</summary>
        private static SyntaxTriviaList Indentation(StatementSyntax statement) =>
            SyntaxFactory.TriviaList(statement.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());

        /// <summary><c>int dataLength = data.Length;</c> ending its line like the statement it precedes.</summary>
        private static StatementSyntax Declaration(string name, string variable, string property, StatementSyntax before)
        {
            var type = SyntaxFactory.PredefinedType(SyntaxFactory.Token(property == "LongLength" ? SyntaxKind.LongKeyword : SyntaxKind.IntKeyword));
            var read = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(variable), SyntaxFactory.IdentifierName(property));
            var declarator = SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name))
                .WithInitializer(SyntaxFactory.EqualsValueClause(read).WithEqualsToken(SyntaxFactory.Token(SyntaxKind.EqualsToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space)));
            var declaration = SyntaxFactory.VariableDeclaration(type.WithTrailingTrivia(SyntaxFactory.Space), SyntaxFactory.SingletonSeparatedList(declarator));

            var lineEnd = before.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            return SyntaxFactory.LocalDeclarationStatement(declaration)
                .WithTrailingTrivia(lineEnd.IsKind(SyntaxKind.EndOfLineTrivia) ? lineEnd : SyntaxFactory.ElasticCarriageReturnLineFeed);
        }
    }
}
