using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LayoutAudit.Fuzz.Tests
{
    /// <summary>Deterministic mutants of a source file: what half-typed and broken code looks like.</summary>
    internal static class Mutator
    {
        private static readonly string[] s_extremes =
        {
            "0", "-1", "1", "2147483647", "-2147483648", "4294967295", "9223372036854775807", "-9223372036854775808",
            "18446744073709551615", "0x7FFFFFFF", "1e308", "-1e308", "1000000000", "536870912", "128", "3", "65536",
        };

        public static string Mutate(string source, Random random)
        {
            int mutations = 1 + random.Next(3);
            for (int i = 0; i < mutations; i++)
            {
                source = MutateOnce(source, random);
            }

            return source;
        }

        private static string MutateOnce(string source, Random random)
        {
            var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
            if (tokens.Count < 2)
            {
                return source + " " + source;
            }

            var token = tokens[random.Next(tokens.Count)];
            switch (random.Next(7))
            {
                case 0: // a token deleted
                    return source.Remove(token.SpanStart, token.Span.Length);
                case 1: // a token inserted somewhere else
                    var other = tokens[random.Next(tokens.Count)];
                    return source.Insert(token.SpanStart, other.Text + " ");
                case 2: // a token duplicated
                    return source.Insert(token.Span.End, " " + token.Text);
                case 3: // two neighbouring tokens swapped
                    int index = tokens.IndexOf(token);
                    var next = tokens[Math.Min(index + 1, tokens.Count - 1)];
                    if (next.SpanStart <= token.SpanStart)
                    {
                        return source;
                    }

                    return source.Substring(0, token.SpanStart) + next.Text + source.Substring(token.Span.End, next.SpanStart - token.Span.End) + token.Text + source.Substring(next.Span.End);
                case 4: // the file cut off as if half-typed, possibly mid-token
                    return source.Substring(0, random.Next(source.Length));
                case 5: // an identifier swapped for another of the file
                    var identifiers = tokens.Where(t => t.IsKind(SyntaxKind.IdentifierToken)).ToList();
                    if (identifiers.Count < 2)
                    {
                        return source;
                    }

                    var from = identifiers[random.Next(identifiers.Count)];
                    var to = identifiers[random.Next(identifiers.Count)];
                    return source.Remove(from.SpanStart, from.Span.Length).Insert(from.SpanStart, to.Text);
                default: // a numeric literal replaced by an extreme
                    var numbers = tokens.Where(t => t.IsKind(SyntaxKind.NumericLiteralToken)).ToList();
                    if (numbers.Count == 0)
                    {
                        return source;
                    }

                    var number = numbers[random.Next(numbers.Count)];
                    return source.Remove(number.SpanStart, number.Span.Length).Insert(number.SpanStart, s_extremes[random.Next(s_extremes.Length)]);
            }
        }
    }
}
