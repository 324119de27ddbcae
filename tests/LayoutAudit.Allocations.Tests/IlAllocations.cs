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

        /// <summary>A call of <c>GetEnumerator()</c> (or <c>GetAsyncEnumerator</c>) that returns a reference type.</summary>
        Enumerator,
    }

    /// <summary>One allocating IL instruction, with the source span of its sequence point.</summary>
    internal sealed record IlAllocation(string TopLevelType, string Method, int Offset, IlAllocationKind Kind, string Detail, TextSpan? Span, bool InLoop)
    {
        /// <summary>Why the proof does not expect a finding for this site, or null when it does.</summary>
        public string? Excluded { get; init; }

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
                var topLevel = declaringType;
                while (!topLevel.GetDeclaringType().IsNil)
                {
                    topLevel = reader.GetTypeDefinition(topLevel.GetDeclaringType());
                }

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
                    foreach (var (kind, detail) in Classify(instructions, index, types))
                    {
                        int offset = instructions[index].Offset;
                        var span = SpanAt(sequencePoints, offset, text);
                        found.Add(new IlAllocation(reader.GetString(topLevel.Name), methodName, offset, kind, detail, span, loops.Any(l => l.Start <= offset && offset <= l.End))
                        {
                            Excluded = Exclusion(instructions, index, kind, types, span, reader.GetString(declaringType.Name), reader.GetString(method.Name)),
                        });
                    }
                }
            }

            return found;
        }

        private static IEnumerable<(IlAllocationKind Kind, string Detail)> Classify(IReadOnlyList<Instruction> instructions, int index, TypeDescriber types)
        {
            var instruction = instructions[index];
            switch (instruction.OpCode)
            {
                case ILOpCode.Box:
                    yield return (IlAllocationKind.Box, types.Describe(instruction.Token).Name);
                    break;

                case ILOpCode.Newarr:
                    yield return (IlAllocationKind.Array, types.Describe(instruction.Token).Name + "[]");
                    break;

                case ILOpCode.Newobj:
                {
                    var type = types.DeclaringTypeOf(instruction.Token);
                    if (type.IsValueType)
                    {
                        break;
                    }

                    if (type.Name.EndsWith("]", StringComparison.Ordinal))
                    {
                        yield return (IlAllocationKind.Array, type.Name); // a multi-dimensional array's constructor
                        break;
                    }

                    if (type.IsDelegate)
                    {
                        // The compiler's delegate caches ("newobj; [dup;] stsfld <cache>") run once per process.
                        int next = index + 1 < instructions.Count && instructions[index + 1].OpCode == ILOpCode.Dup ? index + 2 : index + 1;
                        bool cached = next < instructions.Count && instructions[next].OpCode == ILOpCode.Stsfld;
                        if (!cached)
                        {
                            yield return (IlAllocationKind.Delegate, type.Name);
                        }

                        break;
                    }

                    string simpleName = type.MetadataName.Split('.', '+').Last();
                    var kind = simpleName.StartsWith("<>c__DisplayClass", StringComparison.Ordinal) ? IlAllocationKind.Closure
                        : simpleName.StartsWith("<>f__AnonymousType", StringComparison.Ordinal) ? IlAllocationKind.AnonymousType
                        : simpleName.StartsWith("<", StringComparison.Ordinal) && (simpleName.Contains(">d__") || simpleName.EndsWith(">d", StringComparison.Ordinal)) ? IlAllocationKind.StateMachine
                        : IlAllocationKind.Object;
                    yield return (kind, type.Name);
                    break;
                }

                case ILOpCode.Call:
                case ILOpCode.Callvirt:
                {
                    var (owner, name, returns) = types.MethodOf(instruction.Token);
                    string detail = owner.Name + "." + name;
                    if (index > 0 && instructions[index - 1].OpCode == ILOpCode.Constrained)
                    {
                        var receiver = types.Describe(instructions[index - 1].Token);
                        if (receiver.IsValueType && owner.Name is "System.Object" or "System.ValueType" or "System.Enum" && !types.Overrides(receiver, name))
                        {
                            // A struct that does not override the method reaches ValueType's or Enum's through a box.
                            yield return (IlAllocationKind.Box, receiver.Name + " receiver of " + detail);
                        }
                    }

                    if (owner.Name == "System.Linq.Enumerable")
                    {
                        yield return (IlAllocationKind.Linq, detail);
                    }
                    else if (owner.Name == "System.String" && name is "Concat" or "Format" or "Join")
                    {
                        yield return (IlAllocationKind.String, detail);
                    }
                    else if (owner.Name == "System.Runtime.CompilerServices.DefaultInterpolatedStringHandler" && name == "ToStringAndClear")
                    {
                        yield return (IlAllocationKind.String, detail);
                    }
                    else if (name == "ToString" && returns.Name == "String")
                    {
                        yield return (IlAllocationKind.String, detail);
                    }
                    else if (name is "GetEnumerator" or "GetAsyncEnumerator" && !returns.IsValueType)
                    {
                        yield return (IlAllocationKind.Enumerator, detail + " returning " + returns.Name);
                    }

                    break;
                }
            }
        }

        /// <summary>The documented reasons an IL allocation gets no finding: code the runtime never allocates for, or
        /// compiler helpers outside user code.</summary>
        private static string? Exclusion(IReadOnlyList<Instruction> instructions, int index, IlAllocationKind kind, TypeDescriber types, TextSpan? span, string declaringType, string method)
        {
            // Without sequence points the code is the compiler's own: records' ToString and PrintMembers, an anonymous
            // type's ToString, collection wrappers, an iterator's Reset and its GetEnumerator's second instance. The
            // exception is the stub of an iterator (a method or local function), which creates its state machine.
            bool iteratorStub = kind == IlAllocationKind.StateMachine && !(declaringType.StartsWith("<", StringComparison.Ordinal) && declaringType.Contains(">d", StringComparison.Ordinal));
            if (span is null && !iteratorStub)
            {
                return "inside a compiler-synthesized member (a record's ToString, an anonymous type's ToString, a collection wrapper, an iterator's Reset), not on the user's call path";
            }

            var instruction = instructions[index];
            var next = index + 1 < instructions.Count ? instructions[index + 1] : null;
            if (instruction.OpCode == ILOpCode.Box && next is not null)
            {
                var afterNext = index + 2 < instructions.Count ? instructions[index + 2] : null;
                if (next.OpCode is ILOpCode.Brtrue or ILOpCode.Brtrue_s or ILOpCode.Brfalse or ILOpCode.Brfalse_s
                    || (next.OpCode == ILOpCode.Ldnull && afterNext?.OpCode is ILOpCode.Ceq or ILOpCode.Cgt_un))
                {
                    return "null test of a type parameter: every JIT folds 'box; brtrue' to a constant";
                }

                if (next.OpCode == ILOpCode.Isinst && afterNext?.OpCode is ILOpCode.Brtrue or ILOpCode.Brtrue_s or ILOpCode.Brfalse or ILOpCode.Brfalse_s or ILOpCode.Ldnull)
                {
                    return "type test of a type parameter: the JIT folds 'box; isinst; brtrue' without allocating";
                }

                // e.HasFlag(E.A) on a concrete enum: "box E; <flag>; box E; call Enum::HasFlag", a JIT intrinsic since .NET Core 2.1.
                // Both the receiver and the argument are boxed to the same enum type; with a receiver typed Enum, the box stays.
                for (int ahead = index + 1; ahead < Math.Min(index + 5, instructions.Count); ahead++)
                {
                    if (instructions[ahead].OpCode == ILOpCode.Call && types.MethodOf(instructions[ahead].Token) is { Owner.Name: "System.Enum", Name: "HasFlag" })
                    {
                        var boxes = instructions.Skip(Math.Max(0, ahead - 5)).Take(ahead - Math.Max(0, ahead - 5)).Where(i => i.OpCode == ILOpCode.Box).ToList();
                        if (boxes.Count == 2 && boxes[0].Token == boxes[1].Token && types.Describe(instruction.Token) is { IsValueType: true, IsGenericParameter: false })
                        {
                            return "Enum.HasFlag on a concrete enum: a JIT intrinsic that boxes nothing";
                        }

                        break;
                    }
                }
            }

            if (instruction.OpCode == ILOpCode.Newobj && next?.OpCode == ILOpCode.Throw)
            {
                return "an exception created to be thrown: the cold path";
            }

            return null;
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

            public (IlType Owner, string Name, IlType Returns) MethodOf(EntityHandle method)
            {
                switch (method.Kind)
                {
                    case HandleKind.MethodDefinition:
                        var definition = _reader.GetMethodDefinition((MethodDefinitionHandle)method);
                        return (Describe(definition.GetDeclaringType()), _reader.GetString(definition.Name), definition.DecodeSignature(this, null).ReturnType);
                    case HandleKind.MemberReference:
                        var reference = _reader.GetMemberReference((MemberReferenceHandle)method);
                        var returns = reference.GetKind() == MemberReferenceKind.Method ? reference.DecodeMethodSignature(this, null).ReturnType : Unknown;
                        return (Describe(reference.Parent), _reader.GetString(reference.Name), returns);
                    case HandleKind.MethodSpecification:
                        return MethodOf(_reader.GetMethodSpecification((MethodSpecificationHandle)method).Method);
                    default:
                        return (Unknown, "?", Unknown);
                }
            }

            private static IlType Unknown => new("?", false, false);

            /// <summary>Whether the value type declares its own override of <paramref name="method"/> (asked of the compilation).</summary>
            public bool Overrides(IlType valueType, string method)
            {
                var symbol = _compilation.GetTypeByMetadataName(valueType.MetadataName);
                return symbol is { TypeKind: TypeKind.Struct } && symbol.GetMembers(method).OfType<IMethodSymbol>().Any(m => m.IsOverride);
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
                genericType with { Name = genericType.Name + "<" + string.Join(",", typeArguments.Select(a => a.Name)) + ">", MetadataName = genericType.MetadataName };

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

            /// <summary>The name the compilation knows the type by (no type arguments).</summary>
            public string MetadataName { get; init; } = Name;
        }
    }
}
