using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LayoutAudit.Analyzers.CodeFixes
{
    /// <summary>A place in a type declaration where a field declaration sits today; the place (and its directives)
    /// stays while the declaration in it changes.</summary>
    internal sealed class Slot
    {
        public Slot(TypeDeclarationSyntax part, MemberDeclarationSyntax member)
        {
            Part = part;
            Member = member;
        }

        public TypeDeclarationSyntax Part { get; }

        /// <summary>The member declaration at this place before the reorder.</summary>
        public MemberDeclarationSyntax Member { get; }
    }

    /// <summary>A declaration that moves as one: a field declaration (all its variables) or an auto-property.</summary>
    internal sealed class Unit
    {
        public Unit(MemberDeclarationSyntax member) => Member = member;

        public MemberDeclarationSyntax Member { get; }

        public SyntaxTree SourceTree => Member.SyntaxTree;

        /// <summary>The comments and indentation that belong to the declaration.</summary>
        public SyntaxTriviaList OwnLeadingTrivia => Trivia.OfDeclaration(Member.GetLeadingTrivia());
    }

    /// <summary>Which declaration goes to which place: the i-th place, in declaration order across all partial parts,
    /// receives the declaration of the i-th field of the new order.</summary>
    internal sealed class ReorderPlan
    {
        private ReorderPlan(List<Slot> slots, List<Unit> units)
        {
            Slots = slots;
            Units = units;
        }

        public IReadOnlyList<Slot> Slots { get; }

        public IReadOnlyList<Unit> Units { get; }

        /// <summary>The plan, or null when the new order separates the variables of one declaration (<c>int a, b;</c>).
        /// The engine's order never does: variables of one declaration share a type, so a stable sort by alignment
        /// keeps them together.</summary>
        public static ReorderPlan? Create(IReadOnlyList<FieldDeclaration> declared, IReadOnlyList<FieldDeclaration> wanted)
        {
            var slots = new List<Slot>();
            foreach (var member in declared.Select(d => d.Member).Distinct())
            {
                if (member.Parent is not TypeDeclarationSyntax part)
                {
                    return null;
                }

                slots.Add(new Slot(part, member));
            }

            var units = new List<Unit>();
            foreach (var field in wanted)
            {
                if (units.Count > 0 && units[units.Count - 1].Member == field.Member)
                {
                    continue;
                }

                if (units.Any(u => u.Member == field.Member))
                {
                    return null;
                }

                units.Add(new Unit(field.Member));
            }

            return slots.Count == units.Count ? new ReorderPlan(slots, units) : null;
        }
    }

    /// <summary>Splits a declaration's leading trivia into what belongs to its place (directives such as
    /// <c>#region</c>, and the blank lines after them) and what belongs to the declaration (comments, indentation).</summary>
    internal static class Trivia
    {
        public static SyntaxTriviaList OfPlace(SyntaxTriviaList trivia) => SyntaxFactory.TriviaList(trivia.Take(PlaceLength(trivia)));

        public static SyntaxTriviaList OfDeclaration(SyntaxTriviaList trivia) => SyntaxFactory.TriviaList(trivia.Skip(PlaceLength(trivia)));

        private static int PlaceLength(SyntaxTriviaList trivia)
        {
            int length = 0;
            for (int i = trivia.Count - 1; i >= 0; i--)
            {
                if (trivia[i].IsDirective)
                {
                    length = i + 1;
                    break;
                }
            }

            // Then whole blank lines: optional whitespace followed by an end of line.
            while (true)
            {
                int next = length < trivia.Count && trivia[length].IsKind(SyntaxKind.WhitespaceTrivia) ? length + 1 : length;
                if (next < trivia.Count && trivia[next].IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    length = next + 1;
                    continue;
                }

                return length;
            }
        }
    }
}
