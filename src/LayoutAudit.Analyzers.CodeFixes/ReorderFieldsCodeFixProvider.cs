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
using Microsoft.CodeAnalysis.Simplification;

namespace LayoutAudit.Analyzers.CodeFixes
{
    /// <summary>LA0001: moves a struct's field declarations into the order the layout engine found smallest. Only the
    /// field (and auto-property) declarations move; every other member, and every <c>#region</c>, stays where it was.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReorderFieldsCodeFixProvider)), Shared]
    public sealed class ReorderFieldsCodeFixProvider : CodeFixProvider
    {
        public const string EquivalenceKey = "LA0001.ReorderFields";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(PaddingWasteAnalyzer.Id);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                // Only the diagnostics the analyzer marked as fixable carry the order; the others say why there is no fix.
                if (root is null || !diagnostic.Properties.TryGetValue(PaddingWasteAnalyzer.OrderProperty, out string? order) || order is null)
                {
                    continue;
                }

                if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration)
                {
                    continue;
                }

                var names = order.Split(PaddingWasteAnalyzer.OrderSeparator);
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Reorder the fields of '{declaration.Identifier.ValueText}' to remove padding",
                        cancellationToken => ReorderAsync(context.Document, declaration, names, cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        private static async Task<Solution> ReorderAsync(Document document, TypeDeclarationSyntax declaration, IReadOnlyList<string> order, CancellationToken cancellationToken)
        {
            var solution = document.Project.Solution;
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model?.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type)
            {
                return solution;
            }

            var fields = FieldDeclarations.Find(type, order, out _, cancellationToken);
            if (fields is null)
            {
                return solution;
            }

            // Broken code can declare a name twice (CS0102) or lose one while typing: then there is no safe order.
            if (fields.Select(f => f.MetadataName).Distinct().Count() != fields.Count)
            {
                return solution;
            }

            var byName = fields.ToDictionary(f => f.MetadataName);
            if (order.Any(n => !byName.ContainsKey(n)))
            {
                return solution;
            }

            var wanted = order.Select(n => byName[n]).ToList();
            if (ReorderPlan.Create(fields, wanted) is not { } plan)
            {
                return solution;
            }

            // Rewrite each partial part that holds field declarations: slot i receives unit i.
            var unitsBySlot = plan.Slots.Zip(plan.Units, (slot, unit) => (slot, unit)).ToList();
            foreach (var partGroup in unitsBySlot.GroupBy(x => x.slot.Part.SyntaxTree))
            {
                var tree = partGroup.Key;
                var target = solution.GetDocument(tree);
                if (target is null)
                {
                    return document.Project.Solution;
                }

                var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
                foreach (var part in partGroup.GroupBy(x => x.slot.Part))
                {
                    var incoming = part.ToList();
                    var members = new List<MemberDeclarationSyntax>();
                    foreach (var member in part.Key.Members)
                    {
                        var placed = incoming.Where(x => x.slot.Member == member).ToList();
                        if (placed.Count == 0)
                        {
                            members.Add(member);
                            continue;
                        }

                        foreach (var (slot, unit) in placed)
                        {
                            members.Add(await PlaceAsync(document.Project.Solution, slot, unit, cancellationToken).ConfigureAwait(false));
                        }
                    }

                    replacements.Add(part.Key, part.Key.WithMembers(SyntaxFactory.List(members)));
                }

                var targetRoot = await target.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                if (targetRoot is null)
                {
                    return document.Project.Solution;
                }

                solution = solution.WithDocumentSyntaxRoot(target.Id, targetRoot.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]));
            }

            return solution;
        }

        /// <summary>The unit's declaration, with the place's directives and blank lines in front of its own comments.
        /// <paramref name="original"/> is the solution before the fix, whose trees the declarations come from.</summary>
        private static async Task<MemberDeclarationSyntax> PlaceAsync(Solution original, Slot slot, Unit unit, CancellationToken cancellationToken)
        {
            var node = unit.Member;
            if (unit.SourceTree != slot.Part.SyntaxTree)
            {
                node = await QualifyTypeAsync(original, unit, node, cancellationToken).ConfigureAwait(false);
            }

            var leading = Trivia.OfPlace(slot.Member.GetLeadingTrivia()).AddRange(unit.OwnLeadingTrivia);
            return node.WithLeadingTrivia(leading);
        }

        /// <summary>A declaration moving to another file of a partial type may lose the usings its type name needs:
        /// write the type in full and let the simplifier shorten it where the new file allows.</summary>
        private static async Task<MemberDeclarationSyntax> QualifyTypeAsync(Solution solution, Unit unit, MemberDeclarationSyntax node, CancellationToken cancellationToken)
        {
            var source = solution.GetDocument(unit.SourceTree);
            var model = source is null ? null : await source.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            TypeSyntax? original = unit.Member switch
            {
                FieldDeclarationSyntax field => field.Declaration.Type,
                PropertyDeclarationSyntax property => property.Type,
                _ => null,
            };
            if (model is null || original is null || model.GetTypeInfo(original, cancellationToken).Type is not { TypeKind: not TypeKind.Error } type)
            {
                return node;
            }

            var qualified = SyntaxFactory.ParseTypeName(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                .WithTriviaFrom(original)
                .WithAdditionalAnnotations(Simplifier.Annotation);
            return node switch
            {
                FieldDeclarationSyntax field => field.WithDeclaration(field.Declaration.WithType(qualified)),
                PropertyDeclarationSyntax property => property.WithType(qualified),
                _ => node,
            };
        }
    }
}
