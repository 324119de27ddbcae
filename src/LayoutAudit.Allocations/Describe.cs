using System.Text;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Allocations
{
    /// <summary>How messages name code, types and members.</summary>
    internal static class Describe
    {
        private const int MaxCodeLength = 40;

        public static string Type(ITypeSymbol? type) => type?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) ?? "?";

        /// <summary>A member with its containing type and parameter types: <c>Console.WriteLine(string, object)</c>.</summary>
        public static string Member(ISymbol? symbol) => symbol?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) ?? "?";

        /// <summary>The source text of <paramref name="node"/> on one line, shortened.</summary>
        public static string Code(SyntaxNode node)
        {
            var text = new StringBuilder();
            bool space = false;
            foreach (char c in node.ToString())
            {
                if (char.IsWhiteSpace(c))
                {
                    space = text.Length > 0;
                    continue;
                }

                if (space)
                {
                    text.Append(' ');
                    space = false;
                }

                text.Append(c);
                if (text.Length > MaxCodeLength)
                {
                    return text.ToString(0, MaxCodeLength - 1) + "…";
                }
            }

            return text.ToString();
        }

        public static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

        /// <summary>"'a'", "'a' and 'b'", "'a', 'b' and 'c'".</summary>
        public static string List(System.Collections.Generic.IReadOnlyList<string> items)
        {
            if (items.Count == 0)
            {
                return "";
            }

            if (items.Count == 1)
            {
                return items[0];
            }

            return string.Join(", ", System.Linq.Enumerable.Take(items, items.Count - 1)) + " and " + items[items.Count - 1];
        }
    }
}
