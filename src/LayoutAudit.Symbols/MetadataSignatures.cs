using System.Collections.Immutable;
using System.Linq;
using System.Reflection.Metadata;
using LayoutAudit.Core;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Symbols
{
    /// <summary>A field type as read from a metadata signature.</summary>
    internal abstract class MetaType
    {
    }

    internal sealed class PrimitiveMeta : MetaType
    {
        public PrimitiveMeta(PrimitiveKind kind, string display, string reflectionName)
        {
            Kind = kind;
            Display = display;
            ReflectionName = reflectionName;
        }

        public string ReflectionName { get; }

        public PrimitiveKind Kind { get; }

        public string Display { get; }
    }

    internal sealed class ReferenceMeta : MetaType
    {
        public ReferenceMeta(string display, string reflectionName)
        {
            Display = display;
            ReflectionName = reflectionName;
        }

        public string ReflectionName { get; }

        public string Display { get; }
    }

    internal sealed class ByRefMeta : MetaType
    {
        public ByRefMeta(MetaType target) => Target = target;

        public MetaType Target { get; }
    }

    /// <summary>A type defined in a referenced assembly, with its generic arguments.</summary>
    internal sealed class DefinitionMeta : MetaType
    {
        public DefinitionMeta(AssemblyIndex assembly, TypeDefinitionHandle handle, ImmutableArray<MetaType> arguments)
        {
            Assembly = assembly;
            Handle = handle;
            Arguments = arguments;
        }

        public AssemblyIndex Assembly { get; }

        public TypeDefinitionHandle Handle { get; }

        public ImmutableArray<MetaType> Arguments { get; }
    }

    /// <summary>A generic argument supplied by the compilation (e.g. a source struct in <c>Nullable&lt;MyStruct&gt;</c>).</summary>
    internal sealed class SymbolMeta : MetaType
    {
        public SymbolMeta(ITypeSymbol symbol) => Symbol = symbol;

        public ITypeSymbol Symbol { get; }
    }

    internal sealed class ErrorMeta : MetaType
    {
        public ErrorMeta(string reason) => Reason = reason;

        public string Reason { get; }
    }

    /// <summary>Decodes field signatures of one assembly into <see cref="MetaType"/>s.</summary>
    internal sealed class SignatureDecoder : ISignatureTypeProvider<MetaType, ImmutableArray<MetaType>>
    {
        private readonly AssemblyIndex _assembly;

        public SignatureDecoder(AssemblyIndex assembly) => _assembly = assembly;

        public MetaType GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Boolean => new PrimitiveMeta(PrimitiveKind.Boolean, "bool", "System.Boolean"),
            PrimitiveTypeCode.Char => new PrimitiveMeta(PrimitiveKind.Char, "char", "System.Char"),
            PrimitiveTypeCode.SByte => new PrimitiveMeta(PrimitiveKind.SByte, "sbyte", "System.SByte"),
            PrimitiveTypeCode.Byte => new PrimitiveMeta(PrimitiveKind.Byte, "byte", "System.Byte"),
            PrimitiveTypeCode.Int16 => new PrimitiveMeta(PrimitiveKind.Int16, "short", "System.Int16"),
            PrimitiveTypeCode.UInt16 => new PrimitiveMeta(PrimitiveKind.UInt16, "ushort", "System.UInt16"),
            PrimitiveTypeCode.Int32 => new PrimitiveMeta(PrimitiveKind.Int32, "int", "System.Int32"),
            PrimitiveTypeCode.UInt32 => new PrimitiveMeta(PrimitiveKind.UInt32, "uint", "System.UInt32"),
            PrimitiveTypeCode.Int64 => new PrimitiveMeta(PrimitiveKind.Int64, "long", "System.Int64"),
            PrimitiveTypeCode.UInt64 => new PrimitiveMeta(PrimitiveKind.UInt64, "ulong", "System.UInt64"),
            PrimitiveTypeCode.Single => new PrimitiveMeta(PrimitiveKind.Single, "float", "System.Single"),
            PrimitiveTypeCode.Double => new PrimitiveMeta(PrimitiveKind.Double, "double", "System.Double"),
            PrimitiveTypeCode.IntPtr => new PrimitiveMeta(PrimitiveKind.IntPtr, "nint", "System.IntPtr"),
            PrimitiveTypeCode.UIntPtr => new PrimitiveMeta(PrimitiveKind.UIntPtr, "nuint", "System.UIntPtr"),
            PrimitiveTypeCode.String => new ReferenceMeta("string", "System.String"),
            PrimitiveTypeCode.Object => new ReferenceMeta("object", "System.Object"),
            _ => new ErrorMeta($"a field cannot have the type {typeCode}"),
        };

        public MetaType GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            new DefinitionMeta(_assembly, handle, ImmutableArray<MetaType>.Empty);

        public MetaType GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var reference = reader.GetTypeReference(handle);
            string name = reader.GetString(reference.Name);
            string ns = reader.GetString(reference.Namespace);
            var scope = reference.ResolutionScope;
            switch (scope.Kind)
            {
                case HandleKind.TypeReference:
                    var outer = GetTypeFromReference(reader, (TypeReferenceHandle)scope, rawTypeKind);
                    return outer is DefinitionMeta definition ? Find(definition.Assembly, definition.Assembly.MetadataName(definition.Handle) + "+" + name) : outer;
                case HandleKind.AssemblyReference:
                    string assemblyName = reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name);
                    var target = _assembly.Owner.ForName(assemblyName);
                    return target is null
                        ? new ErrorMeta($"assembly '{assemblyName}' (defining {Qualify(ns, name)}) is not referenced")
                        : Find(target, Qualify(ns, name));
                default:
                    return Find(_assembly, Qualify(ns, name));
            }
        }

        public MetaType GetTypeFromSpecification(MetadataReader reader, ImmutableArray<MetaType> genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public MetaType GetSZArrayType(MetaType elementType) => new ReferenceMeta(DisplayOf(elementType) + "[]", ReflectionOf(elementType) + "[]");

        public MetaType GetArrayType(MetaType elementType, ArrayShape shape) =>
            new ReferenceMeta(DisplayOf(elementType) + "[" + new string(',', shape.Rank - 1) + "]", ReflectionOf(elementType) + "[" + new string(',', shape.Rank - 1) + "]");

        public MetaType GetByReferenceType(MetaType elementType) => new ByRefMeta(elementType);

        public MetaType GetPointerType(MetaType elementType) => new PrimitiveMeta(PrimitiveKind.Pointer, DisplayOf(elementType) + "*", ReflectionOf(elementType) + "*");

        public MetaType GetFunctionPointerType(MethodSignature<MetaType> signature) => new PrimitiveMeta(PrimitiveKind.FunctionPointer, "delegate*", "System.IntPtr");

        public MetaType GetGenericInstantiation(MetaType genericType, ImmutableArray<MetaType> typeArguments) =>
            genericType is DefinitionMeta definition ? new DefinitionMeta(definition.Assembly, definition.Handle, typeArguments) : genericType;

        public MetaType GetGenericTypeParameter(ImmutableArray<MetaType> genericContext, int index) =>
            index >= 0 && index < genericContext.Length ? genericContext[index] : new ErrorMeta("an open type parameter: the layout depends on the type argument");

        public MetaType GetGenericMethodParameter(ImmutableArray<MetaType> genericContext, int index) => new ErrorMeta("a method type parameter");

        public MetaType GetModifiedType(MetaType modifier, MetaType unmodifiedType, bool isRequired) => unmodifiedType;

        public MetaType GetPinnedType(MetaType elementType) => elementType;

        /// <summary>How reflection names a decoded type (generic arguments in <c>Type.ToString()</c> form).</summary>
        public static string ReflectionOf(MetaType type) => type switch
        {
            DefinitionMeta definition => definition.Arguments.IsDefaultOrEmpty
                ? definition.Assembly.MetadataName(definition.Handle)
                : definition.Assembly.MetadataName(definition.Handle) + "[" + string.Join(",", definition.Arguments.Select(ReflectionOf)) + "]",
            SymbolMeta symbol => symbol.Symbol is INamedTypeSymbol named ? TypeNames.Reflection(named) : symbol.Symbol.ToDisplayString(),
            PrimitiveMeta primitive => primitive.ReflectionName,
            ReferenceMeta reference => reference.ReflectionName,
            ByRefMeta byRef => ReflectionOf(byRef.Target) + "&",
            _ => "?",
        };

        /// <summary>How C# writes a decoded type.</summary>
        public static string DisplayOf(MetaType type) => type switch
        {
            SymbolMeta symbol => symbol.Symbol.ToDisplayString(),
            PrimitiveMeta primitive => primitive.Display,
            ReferenceMeta reference => reference.Display,
            ByRefMeta byRef => "ref " + DisplayOf(byRef.Target),
            _ => ReflectionOf(type).Replace('+', '.'),
        };

        private static MetaType Find(AssemblyIndex assembly, string metadataName) =>
            assembly.TryFind(metadataName, out var owner, out var handle)
                ? new DefinitionMeta(owner, handle, ImmutableArray<MetaType>.Empty)
                : new ErrorMeta($"type '{metadataName}' is not found in '{assembly.Name}'");

        private static string Qualify(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;
    }
}
