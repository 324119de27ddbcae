using Microsoft.CodeAnalysis;

namespace LayoutAudit.Allocations
{
    /// <summary>Questions about value types that decide whether the compiler's code boxes.</summary>
    internal static class ValueTypes
    {
        /// <summary>A value type, or a type parameter that may be one (converting it to object boxes when it is).</summary>
        public static bool MayBox(ITypeSymbol? type) => type switch
        {
            ITypeParameterSymbol parameter => !parameter.HasReferenceTypeConstraint && !IsClassConstrained(parameter),
            { IsValueType: true } => true,
            _ => false,
        };

        /// <summary>Whether the struct itself overrides <paramref name="name"/> (ToString, GetHashCode, Equals): if
        /// not, calling it reaches the implementation on ValueType or Enum, a reference type, through a boxed copy.</summary>
        public static bool Overrides(ITypeSymbol type, string name)
        {
            if (type.TypeKind != TypeKind.Struct)
            {
                return false;
            }

            foreach (var member in type.GetMembers(name))
            {
                if (member is IMethodSymbol { IsOverride: true })
                {
                    return true;
                }
            }

            return false;
        }

        public static bool IsObjectMethodHost(ITypeSymbol? type) =>
            type?.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType or SpecialType.System_Enum;

        private static bool IsClassConstrained(ITypeParameterSymbol parameter)
        {
            foreach (var constraint in parameter.ConstraintTypes)
            {
                if (constraint.TypeKind == TypeKind.Class || (constraint is ITypeParameterSymbol inner && IsClassConstrained(inner)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>"'i' (int)", or "'t' (T, boxed when it is a value type)".</summary>
        public static string Subject(SyntaxNode node, ITypeSymbol? type) =>
            "'" + Describe.Code(node) + "' (" + Describe.Type(type) + (type is ITypeParameterSymbol ? ", when a value type" : "") + ")";
    }
}
