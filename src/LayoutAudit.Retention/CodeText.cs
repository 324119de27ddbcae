using System.Text;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Retention
{
    /// <summary>Code quoted in diagnostic messages: on one line, and short.</summary>
    internal static class CodeText
    {
        private const int MaxLength = 40;

        public static string Of(IOperation operation) => Of(operation.Syntax);

        public static string Of(SyntaxNode node)
        {
            var text = new StringBuilder(MaxLength + 3);
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
                if (text.Length > MaxLength)
                {
                    return text.ToString(0, MaxLength - 3) + "...";
                }
            }

            return text.ToString();
        }
    }
}
