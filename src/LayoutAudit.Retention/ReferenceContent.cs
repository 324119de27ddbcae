using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Retention
{
    /// <summary>Whether values of a type hold object references the garbage collector follows.</summary>
    internal enum ReferenceContent
    {
        /// <summary>Plain data (numbers, enums, pointers, structs of those): keeps nothing alive.</summary>
        None,

        /// <summary>A reference, or a struct with a reference somewhere inside.</summary>
        Some,

        /// <summary>Generic code: it depends on the type arguments (<c>RuntimeHelpers.IsReferenceOrContainsReferences&lt;T&gt;()</c>).</summary>
        DependsOnTypeArguments,
    }

    internal static class ReferenceContents
    {
        public static ReferenceContent Of(ITypeSymbol type) => Of(type, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default));

        private static ReferenceContent Of(ITypeSymbol type, HashSet<ITypeSymbol> visiting)
        {
            switch (type)
            {
                case IErrorTypeSymbol:
                    return ReferenceContent.None; // broken code: say nothing about it
                case ITypeParameterSymbol parameter:
                    return OfTypeParameter(parameter);
                case { IsReferenceType: true }:
                    return ReferenceContent.Some;
                case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                    return ReferenceContent.None;
                case INamedTypeSymbol { TypeKind: TypeKind.Enum }:
                    return ReferenceContent.None;
                case INamedTypeSymbol { IsValueType: true } structure:
                    return OfStruct(structure, visiting);
                default:
                    return ReferenceContent.None;
            }
        }

        private static ReferenceContent OfTypeParameter(ITypeParameterSymbol parameter)
        {
            if (parameter.HasUnmanagedTypeConstraint)
            {
                return ReferenceContent.None;
            }

            if (parameter.HasReferenceTypeConstraint)
            {
                return ReferenceContent.Some;
            }

            foreach (var constraint in parameter.ConstraintTypes)
            {
                if (constraint.TypeKind == TypeKind.Class && constraint.SpecialType is not SpecialType.System_ValueType and not SpecialType.System_Enum)
                {
                    return ReferenceContent.Some;
                }
            }

            return ReferenceContent.DependsOnTypeArguments;
        }

        private static ReferenceContent OfStruct(INamedTypeSymbol structure, HashSet<ITypeSymbol> visiting)
        {
            if (structure.IsUnmanagedType)
            {
                return ReferenceContent.None;
            }

            if (!visiting.Add(structure))
            {
                return ReferenceContent.None; // a layout cycle is a compile error; the cycle itself adds nothing
            }

            var result = ReferenceContent.None;
            bool sawField = false;
            foreach (var member in structure.GetMembers())
            {
                if (member is IFieldSymbol { IsStatic: false, IsConst: false } field)
                {
                    sawField = true;
                    var content = Of(field.Type, visiting);
                    if (content == ReferenceContent.Some)
                    {
                        result = ReferenceContent.Some;
                        break;
                    }

                    if (content == ReferenceContent.DependsOnTypeArguments)
                    {
                        result = ReferenceContent.DependsOnTypeArguments;
                    }
                }
            }

            visiting.Remove(structure);

            // Not unmanaged, yet no field says why: the fields are hidden in metadata. Assume the worst.
            return sawField ? result : ReferenceContent.Some;
        }
    }
}
