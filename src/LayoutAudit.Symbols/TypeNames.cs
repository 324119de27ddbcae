using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Symbols
{
    /// <summary>Names of types as reflection and metadata spell them.</summary>
    public static class TypeNames
    {
        /// <summary>Reflection's name for a type: <c>Ns.Outer+Inner</c>, <c>Ns.Pair`2[System.Int32,System.Byte]</c>.</summary>
        public static string Reflection(INamedTypeSymbol type)
        {
            string name = Metadata(type.OriginalDefinition);
            var arguments = AllTypeArguments(type);
            if (arguments.Count == 0 || type.IsUnboundGenericType)
            {
                return name;
            }

            var builder = new StringBuilder(name).Append('[');
            for (int i = 0; i < arguments.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                builder.Append(arguments[i] is INamedTypeSymbol named ? Reflection(named) : arguments[i].ToDisplayString());
            }

            return builder.Append(']').ToString();
        }

        public static string Metadata(INamedTypeSymbol type)
        {
            if (type.ContainingType is { } containing)
            {
                return Metadata(containing) + "+" + type.MetadataName;
            }

            string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
            return ns.Length == 0 ? type.MetadataName : ns + "." + type.MetadataName;
        }

        /// <summary>Type arguments of the containing types first, then the type's own (metadata's order).</summary>
        public static List<ITypeSymbol> AllTypeArguments(INamedTypeSymbol type)
        {
            var arguments = type.ContainingType is { } containing ? AllTypeArguments(containing) : new List<ITypeSymbol>();
            arguments.AddRange(type.TypeArguments);
            return arguments;
        }
    }
}
