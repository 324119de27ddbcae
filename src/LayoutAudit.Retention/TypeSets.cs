using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Retention
{
    internal static class TypeSets
    {
        /// <summary>The types of these metadata names the compilation has (the missing ones are left out), compared as symbols.</summary>
        public static ImmutableHashSet<ISymbol> Resolve(Compilation compilation, params string[] metadataNames)
        {
            var builder = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            foreach (string name in metadataNames)
            {
                if (compilation.GetTypeByMetadataName(name) is { } type)
                {
                    builder.Add(type);
                }
            }

            return builder.ToImmutable();
        }
    }
}
