using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace LayoutAudit.Allocations.Tests
{
    /// <summary>What kind of heap allocation an IL instruction stands for.</summary>
    internal enum IlAllocationKind
    {
        /// <summary><c>box</c>, or a <c>constrained.</c> call of an <c>object</c> method a struct does not override.</summary>
        Box,

        /// <summary><c>newarr</c>.</summary>
        Array,

        /// <summary><c>newobj</c> of a delegate that is not stored in a compiler cache field.</summary>
        Delegate,

        /// <summary><c>newobj</c> of a compiler-generated display class (a closure).</summary>
        Closure,

        /// <summary><c>newobj</c> of an iterator's compiler-generated state machine class.</summary>
        StateMachine,

        /// <summary><c>newobj</c> of a compiler-generated anonymous type.</summary>
        AnonymousType,

        /// <summary><c>newobj</c> of any other reference type.</summary>
        Object,

        /// <summary>A call that returns a new string: <c>String.Concat</c>, <c>String.Format</c>, an interpolated string
        /// handler's <c>ToStringAndClear</c>, or <c>ToString()</c>.</summary>
        String,

        /// <summary>A call of a <c>System.Linq.Enumerable</c> method.</summary>
        Linq,
    }

    /// <summary>One allocating IL instruction, with the source span of its sequence point.</summary>
    internal sealed record IlAllocation(string Method, int Offset, IlAllocationKind Kind, string Detail, TextSpan? Span, bool InLoop)
    {
        public override string ToString() => $"{Kind} {Detail} in {Method} at IL_{Offset:x4}{(InLoop ? " (loop)" : "")} {Span}";
    }

    /// <summary>Reads the allocating instructions of every method body of an assembly with System.Reflection.Metadata,
    /// and maps each to source through the portable PDB.</summary>
    internal static class IlAllocations
    {
        public static IReadOnlyList<IlAllocation> Read(byte[] peImage, byte[] pdbImage, Compilation compilation)
        {
            using var pe = new PEReader(ImmutableArray.Create(peImage));
            using var pdbProvider = MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(pdbImage));
            var reader = pe.GetMetadataReader();
            var pdb = pdbProvider.GetMetadataReader();
            var types = new TypeDescriber(reader, compilation);
            var found = new List<IlAllocation>();
            foreach (var handle in reader.MethodDefinitions)
            {
                var method = reader.GetMethodDefinition(handle);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                var declaringType = reader.GetTypeDefinition(method.GetDeclaringType());
                string methodName = reader.GetString(declaringType.Name) + "." + reader.GetString(method.Name);

                // A compiler-generated class's static constructor creates its singleton once per process, not per call.
                if (reader.GetString(method.Name) == ".cctor" && reader.GetString(declaringType.Name).StartsWith("<", StringComparison.Ordinal))
                {
                    continue;
                }

                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                var instructions = Decode(body.GetILReader());
                var loops = instructions.Where(i => i.BranchTargets.Any(t => t <= i.Offset)).SelectMany(i => i.BranchTargets.Where(t => t <= i.Offset).Select(t => (Start: t, End: i.Offset))).ToList();
                var sequencePoints = pdb.GetMethodDebugInformation(handle.ToDebugInformationHandle()).GetSequencePoints().ToList();
                var text = compilation.SyntaxTrees.First().GetText();

                for (int index = 0; index < instructions.Count; index++)
                {
                    var kind = Classify(instructions, index, types, out string detail);
                    if (kind is null)
                    {
                        continue;
                    }

                    int offset = instructions[index].Offset;
                    found.Add(new IlAllocation(methodName, offset, kind.Value, detail, SpanAt(sequencePoints, offset, text), loops.Any(l => l.Start <= offset && offset <= l.End)));
                }
            }

            return found;
        }

        private static IlAllocationKind? Classify(IReadOnlyList<Instruction> instructions, int index, TypeDescriber types, out string detail)
        {
            var instruction = instructions[index];
            detail = "";
            switch (instruction.OpCode)
            {
                case ILOpCode.Box:
                    detail = types.Describe(instruction.Token).Name;
                    return IlAllocationKind.Box;

                case ILOpCode.Newarr:
                    detail = types.Describe(instruction.Token).Name + "[]";
                    return IlAllocationKind.Array;

                case ILOpCode.Newobj:
                {
                    var type = types.DeclaringTypeOf(instruction.Token);
                    detail = type.Name;
                    if (type.IsValueType)
                    {
                        return null;
                    }

                    if (type.IsDelegate)
                    {
                        // The compiler's delegate caches ("newobj; [dup;] stsfld <cache>") run once per process.
                        int next = index + 1 < instructions.Count && instructions[index + 1].OpCode == ILOpCode.Dup ? index + 2 : index + 1;
                        bool cached = next < instructions.Count && instructions[next].OpCode == ILOpCode.Stsfld;
                        return cached ? null : IlAllocationKind.Delegate;
                    }

                    string simpleName = type.Name.Split('.', '+').Last();
                    if (simpleName.StartsWith("<>c__DisplayClass", StringComparison.Ordinal))
                    {
                        return IlAllocationKind.Closure;
                    }

                    if (simpleName.StartsWith("<>f__AnonymousType", StringComparison.Ordinal))
                    {
                        return IlAllocationKind.AnonymousType;
                    }

                    if (simpleName.StartsWith("<", StringComparison.Ordinal) && simpleName.Contains(">d__"))
                    {
                        return IlAllocationKind.StateMachine;
                    }

                    return IlAllocationKind.Object;
                }

                case ILOpCode.Call:
                case ILOpCode.Callvirt:
                {
                    var (owner, name) = types.MethodOf(instruction.Token);
                    detail = owner.Name + "." + name;
                    bool constrainedOnStruct = index > 0 && instructions[index - 1].OpCode == ILOpCode.Constrained && types.Describe(instructions[index - 1].Token).IsValueType;
                    if (constrainedOnStruct && owner.Name is "System.Object" or "System.ValueType" or "System.Enum")
                    {
                        // A struct that overrides the method is called directly; this call boxes the receiver at run time.
                        detail = types.Describe(instructions[index - 1].Token).Name + " receiver of " + detail;
                        return IlAllocationKind.Box;
                    }

                    if (owner.Name == "System.String" && name is "Concat" or "Format" or "Join")
                    {
                        return IlAllocationKind.String;
                    }

                    if (owner.Name.StartsWith("System.Runtime.CompilerServices.DefaultInterpolatedStringHandler", StringComparison.Ordinal) && name == "ToStringAndClear")
                    {
                        return IlAllocationKind.String;
                    }

                    if (name == "ToString")
                    {
                        return IlAllocationKind.String;
                    }

                    if (owner.Name == "System.Linq.Enumerable")
                    {
                        return IlAllocationKind.Linq;
                    }

                    return null;
                }

                default:
                    return null;
            }
        }

        /// <summary>The source span of the sequence point covering <paramref name="offset"/>: the last one at or before
        /// it, or, when that one is hidden (compiler code), the next visible one.</summary>
        private static TextSpan? SpanAt(List<SequencePoint> points, int offset, SourceText text)
        {
            int last = points.FindLastIndex(p => p.Offset <= offset);
            var candidates = last < 0 ? points : points.Skip(last);
            foreach (var point in candidates)
            {
                if (!point.IsHidden)
                {
                    int start = text.Lines[point.StartLine - 1].Start + point.StartColumn - 1;
                    int end = text.Lines[point.EndLine - 1].Start + point.EndColumn - 1;
                    return TextSpan.FromBounds(start, end);
                }
            }

            return null;
        }

        internal sealed record Instruction(int Offset, ILOpCode OpCode, EntityHandle Token, IReadOnlyList<int> BranchTargets);

        private static List<Instruction> Decode(BlobReader blob)
        {
            var result = new List<Instruction>();
            while (blob.RemainingBytes > 0)
            {
                int offset = blob.Offset;
                var opCode = ReadOpCode(ref blob);
                EntityHandle token = default;
                var targets = new List<int>();
                switch (OperandKind(opCode))
                {
                    case Operand.Byte when opCode.IsBranch():
                        sbyte shortDelta = blob.ReadSByte();
                        targets.Add(blob.Offset + shortDelta);
                        break;
                    case Operand.Byte:
                        blob.ReadByte();
                        break;
                    case Operand.Short:
                        blob.ReadInt16();
                        break;
                    case Operand.Int when opCode.IsBranch():
                        int delta = blob.ReadInt32();
                        targets.Add(blob.Offset + delta);
                        break;
                    case Operand.Int:
                        blob.ReadInt32();
                        break;
                    case Operand.Token:
                        int raw = blob.ReadInt32();
                        token = (raw >> 24) == 0x70 ? default : MetadataTokens.EntityHandle(raw); // 0x70: a user string (ldstr)
                        break;
                    case Operand.Long:
                        blob.ReadInt64();
                        break;
                    case Operand.Switch:
                        int count = blob.ReadInt32();
                        int baseOffset = blob.Offset + (4 * count);
                        for (int i = 0; i < count; i++)
                        {
                            targets.Add(baseOffset + blob.ReadInt32());
                        }

                        break;
                }

                result.Add(new Instruction(offset, opCode, token, targets));
            }

            return result;
        }

        private static ILOpCode ReadOpCode(ref BlobReader blob)
        {
            byte first = blob.ReadByte();
            return first == 0xFE ? (ILOpCode)(0xFE00 | blob.ReadByte()) : (ILOpCode)first;
        }

        private enum Operand
        {
            None,
            Byte,
            Short,
            Int,
            Token,
            Long,
            Switch,
        }

        /// <summary>The size and meaning of each opcode's operand (ECMA-335, Partition III).</summary>
        private static Operand OperandKind(ILOpCode opCode) => opCode switch
        {
            ILOpCode.Ldarg_s or ILOpCode.Ldarga_s or ILOpCode.Starg_s or ILOpCode.Ldloc_s or ILOpCode.Ldloca_s or ILOpCode.Stloc_s
                or ILOpCode.Ldc_i4_s or ILOpCode.Unaligned or ILOpCode.Br_s or ILOpCode.Brfalse_s or ILOpCode.Brtrue_s
                or ILOpCode.Beq_s or ILOpCode.Bge_s or ILOpCode.Bgt_s or ILOpCode.Ble_s or ILOpCode.Blt_s or ILOpCode.Bne_un_s
                or ILOpCode.Bge_un_s or ILOpCode.Bgt_un_s or ILOpCode.Ble_un_s or ILOpCode.Blt_un_s or ILOpCode.Leave_s => Operand.Byte,
            ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc => Operand.Short,
            ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4 or ILOpCode.Br or ILOpCode.Brfalse or ILOpCode.Brtrue or ILOpCode.Beq or ILOpCode.Bge
                or ILOpCode.Bgt or ILOpCode.Ble or ILOpCode.Blt or ILOpCode.Bne_un or ILOpCode.Bge_un or ILOpCode.Bgt_un
                or ILOpCode.Ble_un or ILOpCode.Blt_un or ILOpCode.Leave => Operand.Int,
            ILOpCode.Jmp or ILOpCode.Call or ILOpCode.Calli or ILOpCode.Callvirt or ILOpCode.Cpobj or ILOpCode.Ldobj or ILOpCode.Ldstr
                or ILOpCode.Newobj or ILOpCode.Castclass or ILOpCode.Isinst or ILOpCode.Unbox or ILOpCode.Ldfld or ILOpCode.Ldflda
                or ILOpCode.Stfld or ILOpCode.Ldsfld or ILOpCode.Ldsflda or ILOpCode.Stsfld or ILOpCode.Stobj or ILOpCode.Box
                or ILOpCode.Newarr or ILOpCode.Ldelema or ILOpCode.Ldelem or ILOpCode.Stelem or ILOpCode.Unbox_any
                or ILOpCode.Refanyval or ILOpCode.Mkrefany or ILOpCode.Ldtoken or ILOpCode.Ldftn or ILOpCode.Ldvirtftn
                or ILOpCode.Initobj or ILOpCode.Constrained or ILOpCode.Sizeof => Operand.Token,
            ILOpCode.Ldc_i8 or ILOpCode.Ldc_r8 => Operand.Long,
            ILOpCode.Switch => Operand.Switch,
            _ => Operand.None,
        };

        /// <summary>Names metadata types and tells value types from reference types, asking the compilation about
        /// referenced types whose kind the token alone does not carry.</summary>
        private sealed class TypeDescriber : ISignatureTypeProvider<IlType, object?>
        {
            private readonly MetadataReader _reader;
            private readonly Compilation _compilation;

            public TypeDescriber(MetadataReader reader, Compilation compilation)
            {
                _reader = reader;
                _compilation = compilation;
            }

            public IlType Describe(EntityHandle handle) => handle.Kind switch
            {
                HandleKind.TypeDefinition => GetTypeFromDefinition(_reader, (TypeDefinitionHandle)handle, 0),
                HandleKind.TypeReference => GetTypeFromReference(_reader, (TypeReferenceHandle)handle, 0),
                HandleKind.TypeSpecification => _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null),
                _ => new IlType("?", false, false),
            };

            public IlType DeclaringTypeOf(EntityHandle method) => MethodOf(method).Owner;

            public (IlType Owner, string Name) MethodOf(EntityHandle method)
            {
                switch (method.Kind)
                {
                    case HandleKind.MethodDefinition:
                        var definition = _reader.GetMethodDefinition((MethodDefinitionHandle)method);
                        return (Describe(definition.GetDeclaringType()), _reader.GetString(definition.Name));
                    case HandleKind.MemberReference:
                        var reference = _reader.GetMemberReference((MemberReferenceHandle)method);
                        return (Describe(reference.Parent), _reader.GetString(reference.Name));
                    case HandleKind.MethodSpecification:
                        return MethodOf(_reader.GetMethodSpecification((MethodSpecificationHandle)method).Method);
                    default:
                        return (new IlType("?", false, false), "?");
                }
            }

            public IlType GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
            {
                var type = reader.GetTypeDefinition(handle);
                string name = reader.GetString(type.Name);
                string ns = reader.GetString(type.Namespace);
                string full = type.GetDeclaringType().IsNil ? (ns.Length > 0 ? ns + "." + name : name) : Describe(type.GetDeclaringType()).Name + "+" + name;
                string baseName = type.BaseType.IsNil ? "" : Describe(type.BaseType).Name;
                return new IlType(full, baseName is "System.ValueType" or "System.Enum", baseName == "System.MulticastDelegate");
            }

            public IlType GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
            {
                var type = reader.GetTypeReference(handle);
                string name = reader.GetString(type.Name);
                string ns = reader.GetString(type.Namespace);
                string full = type.ResolutionScope.Kind == HandleKind.TypeReference
                    ? GetTypeFromReference(reader, (TypeReferenceHandle)type.ResolutionScope, 0).Name + "+" + name
                    : (ns.Length > 0 ? ns + "." + name : name);
                var symbol = _compilation.GetTypeByMetadataName(full);
                return new IlType(full, symbol?.IsValueType ?? rawTypeKind == (byte)SignatureTypeKind.ValueType, symbol?.TypeKind == TypeKind.Delegate);
            }

            public IlType GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
                reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

            public IlType GetGenericInstantiation(IlType genericType, ImmutableArray<IlType> typeArguments) =>
                genericType with { Name = genericType.Name + "<" + string.Join(",", typeArguments.Select(a => a.Name)) + ">" };

            public IlType GetPrimitiveType(PrimitiveTypeCode typeCode) =>
                new(typeCode.ToString(), typeCode is not (PrimitiveTypeCode.String or PrimitiveTypeCode.Object or PrimitiveTypeCode.TypedReference), false);

            public IlType GetSZArrayType(IlType elementType) => new(elementType.Name + "[]", false, false);

            public IlType GetArrayType(IlType elementType, ArrayShape shape) => new(elementType.Name + "[" + new string(',', shape.Rank - 1) + "]", false, false);

            public IlType GetByReferenceType(IlType elementType) => elementType with { Name = elementType.Name + "&" };

            public IlType GetPointerType(IlType elementType) => new(elementType.Name + "*", true, false);

            public IlType GetPinnedType(IlType elementType) => elementType;

            public IlType GetGenericMethodParameter(object? genericContext, int index) => new("!!" + index, false, false) { IsGenericParameter = true };

            public IlType GetGenericTypeParameter(object? genericContext, int index) => new("!" + index, false, false) { IsGenericParameter = true };

            public IlType GetFunctionPointerType(MethodSignature<IlType> signature) => new("fnptr", true, false);

            public IlType GetModifiedType(IlType modifier, IlType unmodifiedType, bool isRequired) => unmodifiedType;
        }

        internal sealed record IlType(string Name, bool IsValueType, bool IsDelegate)
        {
            public bool IsGenericParameter { get; init; }
        }
    }
}
