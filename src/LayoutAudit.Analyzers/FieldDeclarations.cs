using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LayoutAudit.Analyzers
{
    /// <summary>One instance field and the member declaration that a reorder would move: a field declaration
    /// (possibly one of several variables) or an auto-property.</summary>
    internal sealed class FieldDeclaration
    {
        public FieldDeclaration(string metadataName, string displayName, MemberDeclarationSyntax member, VariableDeclaratorSyntax? variable)
        {
            MetadataName = metadataName;
            DisplayName = displayName;
            Member = member;
            Variable = variable;
        }

        /// <summary>The field's metadata name, as the layout engine names it (<c>&lt;P&gt;k__BackingField</c> for auto-properties).</summary>
        public string MetadataName { get; }

        /// <summary>The name as the user wrote it (the property's name for an auto-property).</summary>
        public string DisplayName { get; }

        public MemberDeclarationSyntax Member { get; }

        /// <summary>The variable in a field declaration; null for an auto-property.</summary>
        public VariableDeclaratorSyntax? Variable { get; }
    }

    /// <summary>Finds where each instance field of a struct is declared, and whether a reorder can move them all.</summary>
    internal static class FieldDeclarations
    {
        /// <summary>Every instance field's declaration in declaration order, or null with the reason a reorder
        /// cannot move them.</summary>
        public static IReadOnlyList<FieldDeclaration>? Find(INamedTypeSymbol type, IEnumerable<string> layoutFieldNames, out string? whyNot, CancellationToken cancellationToken)
        {
            var found = new List<FieldDeclaration>();
            foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
            {
                if (field.IsStatic || field.IsConst)
                {
                    continue;
                }

                var declaration = Locate(field, out whyNot, cancellationToken);
                if (declaration is null)
                {
                    return null;
                }

                found.Add(declaration);
            }

            var names = new HashSet<string>(found.Select(f => f.MetadataName));
            var expected = new HashSet<string>(layoutFieldNames);
            if (!names.SetEquals(expected))
            {
                whyNot = "a primary constructor parameter is stored as a field, and its position cannot be moved";
                return null;
            }

            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax part && HasConditionalDirectives(part))
                {
                    whyNot = "its members sit among #if directives, which a reorder could break";
                    return null;
                }
            }

            whyNot = null;
            return found;
        }

        private static FieldDeclaration? Locate(IFieldSymbol field, out string? whyNot, CancellationToken cancellationToken)
        {
            whyNot = null;
            if (field.AssociatedSymbol is IPropertySymbol property)
            {
                var syntax = property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken);
                if (syntax is PropertyDeclarationSyntax declaration)
                {
                    return new FieldDeclaration(field.Name, property.Name, declaration, null);
                }

                whyNot = syntax is ParameterSyntax
                    ? $"'{property.Name}' is a positional parameter, whose position cannot be moved"
                    : $"'{property.Name}' has no declaration that can be moved";
                return null;
            }

            if (field.AssociatedSymbol is IEventSymbol)
            {
                whyNot = $"'{field.Name}' is a field-like event";
                return null;
            }

            var references = field.DeclaringSyntaxReferences;
            if (references.Length == 1 && references[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax variable
                && variable.Parent?.Parent is FieldDeclarationSyntax fieldDeclaration)
            {
                return new FieldDeclaration(field.Name, field.Name, fieldDeclaration, variable);
            }

            // The compiler stores a captured primary constructor parameter in a field named <name>P.
            int close = field.Name.IndexOf('>');
            whyNot = field.IsImplicitlyDeclared && field.Name.StartsWith("<", System.StringComparison.Ordinal) && close > 1
                ? $"primary constructor parameter '{field.Name.Substring(1, close - 1)}' is stored as a field, whose position cannot be moved"
                : $"'{field.Name}' has no declaration that can be moved";
            return null;
        }

        private static bool HasConditionalDirectives(TypeDeclarationSyntax part)
        {
            foreach (var member in part.Members)
            {
                if (member.GetLeadingTrivia().Any(IsConditional))
                {
                    return true;
                }
            }

            return part.CloseBraceToken.LeadingTrivia.Any(IsConditional);
        }

        private static bool IsConditional(SyntaxTrivia trivia) =>
            trivia.IsKind(SyntaxKind.IfDirectiveTrivia) || trivia.IsKind(SyntaxKind.ElifDirectiveTrivia)
            || trivia.IsKind(SyntaxKind.ElseDirectiveTrivia) || trivia.IsKind(SyntaxKind.EndIfDirectiveTrivia)
            || trivia.IsKind(SyntaxKind.DisabledTextTrivia);
    }
}
