using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Text;
using System.Threading;
using LayoutAudit.Core;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Symbols
{
    /// <summary>
    /// Describes types as the layout rules see them: source types from their symbols and attributes,
    /// referenced types from their assembly's metadata (where Roslyn hides layout and private fields).
    /// </summary>
    internal sealed class ShapeBuilder
    {
        private const string StructLayoutAttribute = "System.Runtime.InteropServices.StructLayoutAttribute";
        private const string FieldOffsetAttribute = "System.Runtime.InteropServices.FieldOffsetAttribute";
        private const string InlineArrayAttribute = "System.Runtime.CompilerServices.InlineArrayAttribute";

        private readonly Dictionary<string, TypeShape> _shapes = new(StringComparer.Ordinal);

        /// <summary>Field types that need no layout of their own (primitives, references), by symbol: naming a type is
        /// the costly part, and a project's fields use few types. Nullability counts, as it shows in the name.</summary>
        private readonly Dictionary<ITypeSymbol, FieldTypeShape> _leafFieldTypes = new(SymbolEqualityComparer.IncludeNullability);
        private readonly MetadataIndex _metadata;
        private readonly TargetPlatform _target;

        /// <summary>The assembly that defines System.Object (primitives, string and arrays live there).</summary>
        private readonly string _coreLibrary;

        public ShapeBuilder(Compilation compilation, TargetPlatform target)
        {
            _coreLibrary = compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly?.Name ?? "";
            _metadata = new MetadataIndex(compilation);
            _target = target;
        }

        public TypeShape ForSymbol(ITypeSymbol type, CancellationToken cancellationToken = default)
        {
            string display = type.ToDisplayString();
            if (type is not INamedTypeSymbol named)
            {
                return Failed(display, display, LayoutProblemKind.NotApplicable, $"'{display}' is not a struct or a class");
            }

            string name = TypeNames.Reflection(named);
            switch (named.TypeKind)
            {
                case TypeKind.Error:
                    return Failed(name, display, LayoutProblemKind.Unknown, $"the type '{display}' could not be resolved");
                case TypeKind.Interface:
                    return Failed(name, display, LayoutProblemKind.NotApplicable, "an interface has no instance layout");
                case TypeKind.Struct or TypeKind.Class or TypeKind.Enum or TypeKind.Delegate:
                    break;
                default:
                    return Failed(name, display, LayoutProblemKind.NotApplicable, $"a {named.TypeKind.ToString().ToLowerInvariant()} has no instance layout");
            }

            if (named.SpecialType == SpecialType.System_String || named.Name == "<Module>")
            {
                return Failed(name, display, LayoutProblemKind.NotApplicable, named.SpecialType == SpecialType.System_String
                    ? "a string is a variable-size object: its size depends on its length"
                    : "the module type has no instances");
            }

            if (named.IsStatic)
            {
                return Failed(name, display, LayoutProblemKind.NotApplicable, "a static class has no instances");
            }

            if (named.IsUnboundGenericType || ContainsTypeParameters(named))
            {
                return Failed(name, display, LayoutProblemKind.NotApplicable, "an open generic type: its layout depends on its type arguments");
            }

            if (IsInSource(named.OriginalDefinition))
            {
                return FromSource(named, name, display, cancellationToken);
            }

            var assembly = _metadata.ForAssembly(named.OriginalDefinition.ContainingAssembly);
            if (assembly is null)
            {
                return Failed(name, display, LayoutProblemKind.Unknown, $"the metadata of '{named.ContainingAssembly?.Name}' is not available");
            }

            if (!assembly.TryFind(TypeNames.Metadata(named.OriginalDefinition), out var owner, out var handle))
            {
                return Failed(name, display, LayoutProblemKind.Unknown, $"'{display}' is not found in the metadata of '{assembly.Name}'");
            }

            var arguments = TypeNames.AllTypeArguments(named).Select(a => (MetaType)new SymbolMeta(a)).ToImmutableArray();
            return FromMetadata(new DefinitionMeta(owner, handle, arguments), display);
        }

        private TypeShape FromSource(INamedTypeSymbol type, string name, string display, CancellationToken cancellationToken)
        {
            string key = "S:" + type.ContainingAssembly?.Name + "!" + name;
            if (_shapes.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var typeArguments = TypeNames.AllTypeArguments(type);
            var shape = new TypeShape(name, display, type.IsValueType) { IsByRefLike = type.IsRefLikeType, Module = type.ContainingAssembly?.Name ?? "", HasTypeArgumentsFromOtherModules = typeArguments.Count > 0 && typeArguments.Any(a => SymbolFromOtherModule(a, type.ContainingAssembly?.Name)), IsGenericInstantiation = typeArguments.Count > 0 };
            _shapes[key] = shape;
            if (type.TypeKind == TypeKind.Enum)
            {
                shape.Layout = LayoutKindName.Sequential;
                shape.Fields = new[] { new FieldShape("value__", DescribeSymbol(type.EnumUnderlyingType!), null) };
                return shape;
            }

            shape.Layout = type.IsValueType ? LayoutKindName.Sequential : LayoutKindName.Auto;
            foreach (var attribute in type.GetAttributes())
            {
                if (IsAttribute(attribute, "StructLayoutAttribute", StructLayoutAttribute))
                {
                    if (!ReadStructLayout(attribute, shape))
                    {
                        shape.Problem = new LayoutProblem(name, LayoutProblemKind.TypeLoadError, "the StructLayout attribute has an invalid LayoutKind, Pack or Size");
                        return shape;
                    }
                }
                else if (IsAttribute(attribute, "InlineArrayAttribute", InlineArrayAttribute) && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int length)
                {
                    shape.InlineArrayLength = length;
                }
            }

            var fields = new List<FieldShape>();
            foreach (var member in type.GetMembers())
            {
                // Binding each field's type is the engine's largest cost on a wide struct.
                if (cancellationToken.IsCancellationRequested)
                {
                    _shapes.Remove(key); // half-read: the next call must read the type again, not use what is missing
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (member is IFieldSymbol { IsStatic: false, IsConst: false } field)
                {
                    fields.Add(new FieldShape(field.MetadataName, DescribeField(field, shape), ReadFieldOffset(field)));
                }
                else if (member is IEventSymbol { IsStatic: false, IsAbstract: false, IsExtern: false, AddMethod.IsImplicitlyDeclared: true } fieldLikeEvent)
                {
                    // A field-like event is backed by a field of its delegate type and name, which Roslyn does not list.
                    fields.Add(new FieldShape(fieldLikeEvent.MetadataName, DescribeSymbol(fieldLikeEvent.Type), ReadFieldOffset(fieldLikeEvent)));
                }
            }

            shape.Fields = fields;
            if (!type.IsValueType && type.BaseType is { SpecialType: not SpecialType.System_Object } baseType)
            {
                shape.BaseType = ForSymbol(baseType);
            }

            return shape;
        }

        private FieldTypeShape DescribeField(IFieldSymbol field, TypeShape owner)
        {
            if (field.RefKind != RefKind.None)
            {
                return new ByRefFieldType("ref " + field.Type.ToDisplayString());
            }

            if (field.IsFixedSizeBuffer && field.Type is IPointerTypeSymbol pointer)
            {
                return DescribeFixedBuffer(field, pointer.PointedAtType, owner);
            }

            return DescribeSymbol(field.Type);
        }

        /// <summary>The compiler turns <c>fixed T name[n]</c> into a nested sequential struct of Size n*sizeof(T)
        /// holding one T; the runtime lays that struct out like any other.</summary>
        private FieldTypeShape DescribeFixedBuffer(IFieldSymbol field, ITypeSymbol element, TypeShape owner)
        {
            string display = $"fixed {element.ToDisplayString()}[{field.FixedSize}]";
            var elementType = DescribeSymbol(element);
            if (elementType is not PrimitiveFieldType primitive || FixedSize(primitive.Kind) is not int elementSize)
            {
                return new UnknownFieldType(display, LayoutProblemKind.NotApplicable, "a fixed buffer's element must be a primitive type");
            }

            if (field.FixedSize <= 0)
            {
                return new UnknownFieldType(display, LayoutProblemKind.NotApplicable, "a fixed buffer's length must be positive");
            }

            long size = (long)field.FixedSize * elementSize;
            var buffer = new TypeShape($"{owner.Name}+<{field.Name}>e__FixedBuffer", display, isValueType: true)
            {
                Module = owner.Module,
                Layout = LayoutKindName.Sequential,
                Size = size > int.MaxValue ? int.MaxValue : (int)size,
                Fields = new[] { new FieldShape("FixedElementField", elementType, null) },
            };
            if (size > int.MaxValue)
            {
                buffer.Problem = new LayoutProblem(buffer.Name, LayoutProblemKind.TypeLoadError, "the fixed buffer is larger than the runtime allows");
            }

            return new ValueFieldType(display, () => buffer);
        }

        private static int? FixedSize(PrimitiveKind kind) => kind switch
        {
            PrimitiveKind.Boolean or PrimitiveKind.Byte or PrimitiveKind.SByte => 1,
            PrimitiveKind.Char or PrimitiveKind.Int16 or PrimitiveKind.UInt16 => 2,
            PrimitiveKind.Int32 or PrimitiveKind.UInt32 or PrimitiveKind.Single => 4,
            PrimitiveKind.Int64 or PrimitiveKind.UInt64 or PrimitiveKind.Double => 8,
            _ => null,
        };

        private FieldTypeShape DescribeSymbol(ITypeSymbol type)
        {
            if (_leafFieldTypes.TryGetValue(type, out var known))
            {
                return known;
            }

            var described = DescribeSymbolOnce(type);
            if (described is PrimitiveFieldType or ReferenceFieldType or UnknownFieldType)
            {
                // A struct's description memoizes its shape, which a cancelled read leaves half-done: not kept here.
                _leafFieldTypes[type] = described;
            }

            return described;
        }

        private FieldTypeShape DescribeSymbolOnce(ITypeSymbol type)
        {
            string display = type.ToDisplayString();
            switch (type)
            {
                case { TypeKind: TypeKind.Error }:
                    return new UnknownFieldType(display, LayoutProblemKind.Unknown, $"the type '{display}' could not be resolved");
                case IPointerTypeSymbol:
                    return new PrimitiveFieldType(PrimitiveKind.Pointer, display);
                case IFunctionPointerTypeSymbol:
                    return new PrimitiveFieldType(PrimitiveKind.FunctionPointer, display);
                case ITypeParameterSymbol:
                    return new UnknownFieldType(display, LayoutProblemKind.NotApplicable, $"'{display}' is an open type parameter: the layout depends on the type argument");
                case INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying }:
                    return (FieldTypeShape?)Primitive(underlying.SpecialType, display) ?? new UnknownFieldType(display, LayoutProblemKind.Unknown, $"the enum '{display}' has an unknown underlying type");
            }

            if (Primitive(type.SpecialType, display) is { } primitive)
            {
                return primitive;
            }

            if (type.SpecialType == SpecialType.System_Void)
            {
                return new UnknownFieldType(display, LayoutProblemKind.NotApplicable, "a field cannot be void");
            }

            if (type.IsReferenceType || type.TypeKind is TypeKind.Dynamic or TypeKind.Array or TypeKind.Class or TypeKind.Interface or TypeKind.Delegate)
            {
                return new ReferenceFieldType(display);
            }

            if (type is INamedTypeSymbol { IsValueType: true } named)
            {
                return new ValueFieldType(display, () => ForSymbol(named));
            }

            return new UnknownFieldType(display, LayoutProblemKind.Unknown, $"'{display}' is neither a value type nor a reference type");
        }

        private static PrimitiveFieldType? Primitive(SpecialType type, string display) => type switch
        {
            SpecialType.System_Boolean => new(PrimitiveKind.Boolean, display),
            SpecialType.System_Char => new(PrimitiveKind.Char, display),
            SpecialType.System_SByte => new(PrimitiveKind.SByte, display),
            SpecialType.System_Byte => new(PrimitiveKind.Byte, display),
            SpecialType.System_Int16 => new(PrimitiveKind.Int16, display),
            SpecialType.System_UInt16 => new(PrimitiveKind.UInt16, display),
            SpecialType.System_Int32 => new(PrimitiveKind.Int32, display),
            SpecialType.System_UInt32 => new(PrimitiveKind.UInt32, display),
            SpecialType.System_Int64 => new(PrimitiveKind.Int64, display),
            SpecialType.System_UInt64 => new(PrimitiveKind.UInt64, display),
            SpecialType.System_Single => new(PrimitiveKind.Single, display),
            SpecialType.System_Double => new(PrimitiveKind.Double, display),
            SpecialType.System_IntPtr => new(PrimitiveKind.IntPtr, display),
            SpecialType.System_UIntPtr => new(PrimitiveKind.UIntPtr, display),
            _ => null,
        };

        private static bool ReadStructLayout(AttributeData attribute, TypeShape shape)
        {
            if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not { } kindValue)
            {
                return false;
            }

            int kind = Convert.ToInt32(kindValue, System.Globalization.CultureInfo.InvariantCulture);
            switch (kind)
            {
                case 0:
                    shape.Layout = LayoutKindName.Sequential;
                    break;
                case 2:
                    shape.Layout = LayoutKindName.Explicit;
                    break;
                case 3:
                    shape.Layout = LayoutKindName.Auto;
                    break;
                default:
                    return false;
            }

            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Value.Value is not int value)
                {
                    continue;
                }

                if (argument.Key == "Pack")
                {
                    if (value is not (0 or 1 or 2 or 4 or 8 or 16 or 32 or 64 or 128))
                    {
                        return false;
                    }

                    shape.Pack = value;
                }
                else if (argument.Key == "Size")
                {
                    if (value < 0)
                    {
                        return false;
                    }

                    shape.Size = value;
                }
            }

            return true;
        }

        private static int? ReadFieldOffset(ISymbol field)
        {
            foreach (var attribute in field.GetAttributes())
            {
                if (IsAttribute(attribute, "FieldOffsetAttribute", FieldOffsetAttribute) && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int offset)
                {
                    return offset;
                }
            }

            return null;
        }

        private TypeShape FromMetadata(DefinitionMeta definition, string? display = null)
        {
            var assembly = definition.Assembly;
            var reader = assembly.Reader;
            string name = MetaName(definition);
            string key = "M:" + assembly.Name + "!" + name;
            if (_shapes.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var type = reader.GetTypeDefinition(definition.Handle);
            var kind = Classify(assembly, type, definition.Handle);
            display ??= CSharpName(name);
            var shape = new TypeShape(name, display, kind is TypeCategoryKind.ValueType or TypeCategoryKind.Enum)
            {
                Module = assembly.Name,
                IsReadyToRun = assembly.IsReadyToRun,
                HasTypeArgumentsFromOtherModules = definition.Arguments.Any(a => ArgumentFromOtherModule(a, assembly.Name, assembly.Owner.CoreLibrary)),
                IsGenericInstantiation = !definition.Arguments.IsDefaultOrEmpty,
            };
            _shapes[key] = shape;
            if (kind == TypeCategoryKind.Interface)
            {
                shape.Problem = new LayoutProblem(name, LayoutProblemKind.NotApplicable, "an interface has no instance layout");
                return shape;
            }

            if (assembly.IsReferenceAssembly)
            {
                // Stand in the running runtime's implementation of the same type, whose fields are the real ones.
                var implementation = MetadataIndex.Implementation?.ForName(assembly.Name);
                if (implementation is { IsReferenceAssembly: false } && implementation.TryFind(assembly.MetadataName(definition.Handle), out var owner, out var handle))
                {
                    _shapes.Remove(key);
                    var real = FromMetadata(new DefinitionMeta(owner, handle, definition.Arguments), display);
                    _shapes[key] = real;
                    return real;
                }

                shape.Problem = new LayoutProblem(name, LayoutProblemKind.Unknown, $"'{display}' comes from the reference assembly '{assembly.Name}', whose private fields are placeholders, not the real ones");
                return shape;
            }

            var layout = AssemblyIndex.ReadLayout(type);
            shape.Layout = layout.Kind;
            shape.Pack = layout.Pack;
            shape.Size = layout.Size;
            ApplyRuntimeSpecials(shape, reader.GetString(type.Namespace), reader.GetString(type.Name), type.GetDeclaringType().IsNil);
            foreach (var handle in type.GetCustomAttributes())
            {
                var attributeName = AttributeTypeName(reader, reader.GetCustomAttribute(handle));
                if (attributeName == InlineArrayAttribute)
                {
                    shape.InlineArrayLength = ReadInt32Argument(reader, reader.GetCustomAttribute(handle)) ?? 0;
                }
                else if (attributeName == "System.Runtime.CompilerServices.IsByRefLikeAttribute")
                {
                    shape.IsByRefLike = true;
                }
            }

            var decoder = new SignatureDecoder(assembly);
            var fields = new List<FieldShape>();
            foreach (var fieldHandle in type.GetFields())
            {
                var field = reader.GetFieldDefinition(fieldHandle);
                if ((field.Attributes & FieldAttributes.Static) != 0)
                {
                    continue;
                }

                MetaType fieldType;
                try
                {
                    fieldType = field.DecodeSignature(decoder, definition.Arguments);
                }
                catch (BadImageFormatException)
                {
                    fieldType = new ErrorMeta("the field's signature cannot be read");
                }

                int offset = field.GetOffset();
                fields.Add(new FieldShape(reader.GetString(field.Name), Describe(fieldType), offset >= 0 ? offset : null));
            }

            shape.Fields = fields;
            if (kind == TypeCategoryKind.Class && !type.BaseType.IsNil)
            {
                var baseType = DecodeTypeHandle(assembly, type.BaseType, definition.Arguments);
                if (baseType is DefinitionMeta baseDefinition)
                {
                    if (MetaName(baseDefinition) != "System.Object")
                    {
                        shape.BaseType = FromMetadata(baseDefinition);
                    }
                }
                else
                {
                    shape.Problem = new LayoutProblem(name, LayoutProblemKind.Unknown, "the base class " + (baseType is ErrorMeta error ? error.Reason : "cannot be read"));
                }
            }

            return shape;
        }

        /// <summary>Structs whose size or alignment the runtime fixes itself rather than from their fields.</summary>
        private void ApplyRuntimeSpecials(TypeShape shape, string ns, string name, bool isTopLevel)
        {
            if (!isTopLevel)
            {
                return;
            }

            bool is32Bit = _target.PointerSize == 4;
            bool isArm = _target == TargetPlatform.Arm32 || _target == TargetPlatform.Arm64;
            if (ns == "System.Runtime.Intrinsics")
            {
                shape.IntrinsicAlignment = name switch
                {
                    "Vector64`1" => 8,
                    "Vector128`1" => _target == TargetPlatform.Arm32 ? 8 : 16,
                    "Vector256`1" => _target == TargetPlatform.Arm32 ? 8 : isArm ? 16 : 32,
                    "Vector512`1" => _target == TargetPlatform.Arm32 ? 8 : isArm ? 16 : 64,
                    _ => null,
                };
            }
            else if (ns == "System" && name is "Int128" or "UInt128")
            {
                shape.IntrinsicAlignment = is32Bit && isArm ? 8 : 16;
            }
            else if (ns == "System.Numerics" && name == "Vector`1")
            {
                shape.Problem = new LayoutProblem(shape.Name, LayoutProblemKind.Unknown, "the size of Vector<T> depends on the SIMD width of the machine the program runs on");
            }
        }

        private FieldTypeShape Describe(MetaType type)
        {
            switch (type)
            {
                case PrimitiveMeta primitive:
                    return new PrimitiveFieldType(primitive.Kind, primitive.Display);
                case ReferenceMeta reference:
                    return new ReferenceFieldType(reference.Display);
                case ByRefMeta byRef:
                    return new ByRefFieldType("ref " + DisplayOf(byRef.Target));
                case SymbolMeta symbol:
                    return DescribeSymbol(symbol.Symbol);
                case ErrorMeta error:
                    return new UnknownFieldType("?", LayoutProblemKind.Unknown, error.Reason);
                case DefinitionMeta definition:
                    var reader = definition.Assembly.Reader;
                    var typeDefinition = reader.GetTypeDefinition(definition.Handle);
                    string display = CSharpName(MetaName(definition));
                    switch (Classify(definition.Assembly, typeDefinition, definition.Handle))
                    {
                        case TypeCategoryKind.Enum:
                            return EnumUnderlying(definition, display);
                        case TypeCategoryKind.ValueType:
                            return new ValueFieldType(display, () => FromMetadata(definition, display));
                        default:
                            return new ReferenceFieldType(display);
                    }

                default:
                    return new UnknownFieldType("?", LayoutProblemKind.Unknown, "unreadable field type");
            }
        }

        private FieldTypeShape EnumUnderlying(DefinitionMeta definition, string display)
        {
            var reader = definition.Assembly.Reader;
            foreach (var fieldHandle in reader.GetTypeDefinition(definition.Handle).GetFields())
            {
                var field = reader.GetFieldDefinition(fieldHandle);
                if ((field.Attributes & FieldAttributes.Static) == 0 && field.DecodeSignature(new SignatureDecoder(definition.Assembly), definition.Arguments) is PrimitiveMeta primitive)
                {
                    return new PrimitiveFieldType(primitive.Kind, display);
                }
            }

            return new UnknownFieldType(display, LayoutProblemKind.Unknown, $"the enum '{display}' has no readable underlying type");
        }

        private static MetaType DecodeTypeHandle(AssemblyIndex assembly, EntityHandle handle, ImmutableArray<MetaType> context)
        {
            var decoder = new SignatureDecoder(assembly);
            var reader = assembly.Reader;
            return handle.Kind switch
            {
                HandleKind.TypeDefinition => decoder.GetTypeFromDefinition(reader, (TypeDefinitionHandle)handle, 0),
                HandleKind.TypeReference => decoder.GetTypeFromReference(reader, (TypeReferenceHandle)handle, 0),
                HandleKind.TypeSpecification => decoder.GetTypeFromSpecification(reader, context, (TypeSpecificationHandle)handle, 0),
                _ => new ErrorMeta("unexpected base type handle"),
            };
        }

        private enum TypeCategoryKind
        {
            Class,
            ValueType,
            Enum,
            Interface,
        }

        private static TypeCategoryKind Classify(AssemblyIndex assembly, TypeDefinition type, TypeDefinitionHandle handle)
        {
            if ((type.Attributes & TypeAttributes.Interface) != 0)
            {
                return TypeCategoryKind.Interface;
            }

            string? baseName = BaseTypeName(assembly.Reader, type.BaseType);
            string self = assembly.MetadataName(handle);
            if (baseName == "System.Enum")
            {
                return TypeCategoryKind.Enum;
            }

            return baseName == "System.ValueType" && self != "System.Enum" ? TypeCategoryKind.ValueType : TypeCategoryKind.Class;
        }

        private static string? BaseTypeName(MetadataReader reader, EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return null;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeReference:
                    var reference = reader.GetTypeReference((TypeReferenceHandle)handle);
                    return reader.GetString(reference.Namespace) + "." + reader.GetString(reference.Name);
                case HandleKind.TypeDefinition:
                    var definition = reader.GetTypeDefinition((TypeDefinitionHandle)handle);
                    return reader.GetString(definition.Namespace) + "." + reader.GetString(definition.Name);
                default:
                    return null;
            }
        }

        private static string? AttributeTypeName(MetadataReader reader, CustomAttribute attribute)
        {
            EntityHandle parent;
            switch (attribute.Constructor.Kind)
            {
                case HandleKind.MemberReference:
                    parent = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                    break;
                case HandleKind.MethodDefinition:
                    parent = reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType();
                    break;
                default:
                    return null;
            }

            return BaseTypeName(reader, parent);
        }

        /// <summary>Reads the single int argument of an attribute blob (prolog 0x0001, then the int).</summary>
        private static int? ReadInt32Argument(MetadataReader reader, CustomAttribute attribute)
        {
            var blob = reader.GetBlobReader(attribute.Value);
            if (blob.Length < 6 || blob.ReadUInt16() != 1)
            {
                return null;
            }

            return blob.ReadInt32();
        }

        private bool ArgumentFromOtherModule(MetaType argument, string module, string coreLibrary) => argument switch
        {
            DefinitionMeta definition => definition.Assembly.Name != module || definition.Arguments.Any(a => ArgumentFromOtherModule(a, module, coreLibrary)),
            SymbolMeta symbol => SymbolFromOtherModule(symbol.Symbol, module),
            ByRefMeta byRef => ArgumentFromOtherModule(byRef.Target, module, coreLibrary),
            _ => coreLibrary != module,
        };

        private bool SymbolFromOtherModule(ITypeSymbol symbol, string? module) => symbol switch
        {
            IArrayTypeSymbol array => SymbolFromOtherModule(array.ElementType, module),
            IPointerTypeSymbol pointer => SymbolFromOtherModule(pointer.PointedAtType, module),
            INamedTypeSymbol named => named.ContainingAssembly?.Name != module || TypeNames.AllTypeArguments(named).Any(a => SymbolFromOtherModule(a, module)),
            _ => _coreLibrary != module,
        };

        private static string MetaName(DefinitionMeta definition) => SignatureDecoder.ReflectionOf(definition);

        private static string DisplayOf(MetaType type) => SignatureDecoder.DisplayOf(type);

        private static string CSharpName(string reflectionName) => reflectionName.Replace('+', '.');

        /// <summary>Whether an attribute is of the named type; the simple name is compared first, so that most attributes
        /// are told apart without building a name.</summary>
        private static bool IsAttribute(AttributeData attribute, string name, string fullName) =>
            attribute.AttributeClass is { } type && type.Name == name && type.ToDisplayString() == fullName;

        private static bool IsInSource(ISymbol symbol)
        {
            foreach (var location in symbol.Locations)
            {
                if (location.IsInSource)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool ContainsTypeParameters(ITypeSymbol type) => type switch
        {
            ITypeParameterSymbol => true,
            INamedTypeSymbol named => TypeNames.AllTypeArguments(named).Any(ContainsTypeParameters),
            IArrayTypeSymbol array => ContainsTypeParameters(array.ElementType),
            IPointerTypeSymbol pointer => ContainsTypeParameters(pointer.PointedAtType),
            _ => false,
        };

        private TypeShape Failed(string name, string display, LayoutProblemKind kind, string message) =>
            new(name, display, isValueType: false) { Problem = new LayoutProblem(name, kind, message) };
    }
}
