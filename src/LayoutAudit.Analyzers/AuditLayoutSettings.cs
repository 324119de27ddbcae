using Microsoft.CodeAnalysis;

namespace LayoutAudit.Analyzers
{
    /// <summary>The named arguments of one <c>[AuditLayout]</c> attribute. Read by name, so that the rules work with
    /// any definition of the attribute (the package's, or one declared in the user's own source).</summary>
    internal sealed class AuditLayoutSettings
    {
        public const string MetadataName = "LayoutAudit.AuditLayoutAttribute";

        private AuditLayoutSettings(int? cacheLineSize, int paddingBudget, int maxSize)
        {
            CacheLineSize = cacheLineSize;
            PaddingBudget = paddingBudget;
            MaxSize = maxSize;
        }

        /// <summary>The cache-line size given on the attribute, or null when the attribute leaves it to .editorconfig.</summary>
        public int? CacheLineSize { get; }

        /// <summary>Padding bytes the type may have; -1 for no budget.</summary>
        public int PaddingBudget { get; }

        /// <summary>The size the type must not exceed; -1 for no limit.</summary>
        public int MaxSize { get; }

        /// <summary>The settings of <paramref name="type"/>'s <c>[AuditLayout]</c>, or null when it has none.</summary>
        public static AuditLayoutSettings? Find(INamedTypeSymbol type, INamedTypeSymbol attributeClass)
        {
            foreach (var attribute in type.GetAttributes())
            {
                if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeClass))
                {
                    continue;
                }

                int? cacheLine = null;
                int budget = -1;
                int maxSize = -1;
                foreach (var argument in attribute.NamedArguments)
                {
                    if (argument.Value.Kind != TypedConstantKind.Primitive || argument.Value.Value is not int value)
                    {
                        continue;
                    }

                    switch (argument.Key)
                    {
                        case "CacheLineSize" when value > 0:
                            cacheLine = value;
                            break;
                        case "PaddingBudget" when value >= 0:
                            budget = value;
                            break;
                        case "MaxSize" when value >= 0:
                            maxSize = value;
                            break;
                    }
                }

                return new AuditLayoutSettings(cacheLine, budget, maxSize);
            }

            return null;
        }
    }
}
