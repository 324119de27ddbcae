using System.Threading;
using LayoutAudit.Core;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Analyzers
{
    /// <summary>Decides whether a struct's field order belongs to its author's contract with something else
    /// (native code, a file format), in which case LayoutAudit must not offer to reorder it.</summary>
    internal sealed class LayoutContracts
    {
        private readonly INamedTypeSymbol? _structLayout;
        private readonly INamedTypeSymbol? _marshalAs;
        private readonly INamedTypeSymbol? _nativeMarshalling;
        private readonly NativeSignatures _nativeSignatures;

        public LayoutContracts(Compilation compilation)
        {
            _structLayout = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.StructLayoutAttribute");
            _marshalAs = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.MarshalAsAttribute");
            _nativeMarshalling = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.Marshalling.NativeMarshallingAttribute");
            _nativeSignatures = new NativeSignatures(compilation);
        }

        /// <summary>Why the order is a contract, in words that end the diagnostic's message; null when it is not.</summary>
        public string? WhyOrderIsAContract(INamedTypeSymbol type, TypeLayout layout, CancellationToken cancellationToken)
        {
            if (layout.DeclaredLayout == LayoutKindName.Explicit)
            {
                return "its layout is explicit, so every offset is written out";
            }

            if (layout.Pack != 0)
            {
                return $"StructLayout.Pack = {layout.Pack} makes the packed layout a contract";
            }

            foreach (var attribute in type.GetAttributes())
            {
                if (Is(attribute, _structLayout))
                {
                    foreach (var argument in attribute.NamedArguments)
                    {
                        if (argument.Key == "CharSet")
                        {
                            return "StructLayout.CharSet declares it for native marshalling";
                        }
                    }

                    return "[StructLayout] is written out, which declares its field order to matter (remove it to allow the reorder)";
                }

                if (Is(attribute, _nativeMarshalling))
                {
                    return "[NativeMarshalling] declares it for native marshalling";
                }
            }

            if (_marshalAs is not null)
            {
                foreach (var member in type.GetMembers())
                {
                    if (member is IFieldSymbol { IsStatic: false } field && HasAttribute(field, _marshalAs))
                    {
                        return $"field '{field.Name}' has [MarshalAs], so it is declared for native marshalling";
                    }
                }
            }

            string? nativeMethod = _nativeSignatures.NativeMethodTaking(type.Name, cancellationToken);
            return nativeMethod is null ? null : $"it is passed to the native method '{nativeMethod}'";
        }

        private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attributeClass)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (Is(attribute, attributeClass))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Is(AttributeData attribute, INamedTypeSymbol? attributeClass) =>
            attributeClass is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeClass);
    }
}
