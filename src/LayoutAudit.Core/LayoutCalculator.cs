using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace LayoutAudit.Core
{
    /// <summary>
    /// The CLR's managed layout rules (CoreCLR's class loader), applied to <see cref="TypeShape"/>s.
    /// Each rule is described, with the test that proves it, in docs/layout-rules.md.
    /// </summary>
    public sealed class LayoutCalculator
    {
        /// <summary>The loader refuses types whose instance data reaches this many bytes.</summary>
        private const long MaxInstanceBytes = (1L << 27) - 7;

        /// <summary>Deeper nesting than this is treated as a runaway expansion, not a layout.</summary>
        private const int MaxNestingDepth = 512;

        private readonly Dictionary<TypeShape, TypeInfo> _cache = new(ReferenceComparer.Instance);
        private readonly HashSet<TypeShape> _inProgress = new(ReferenceComparer.Instance);
        private readonly int _pointerSize;
        private readonly bool _eightByteAlignedLongs;

        /// <param name="pointerSize">8 for 64-bit targets, 4 for 32-bit.</param>
        /// <param name="eightByteAlignedLongs">On 32-bit: whether long/double need 8-byte alignment (ARM32: yes; x86: no).</param>
        public LayoutCalculator(int pointerSize, bool eightByteAlignedLongs = true)
        {
            _pointerSize = pointerSize;
            _eightByteAlignedLongs = pointerSize == 8 || eightByteAlignedLongs;
        }

        public int PointerSize => _pointerSize;

        /// <summary>Field data of auto-laid-out types is aligned to at most this (DATA_ALIGNMENT).</summary>
        private int DataAlignment => _pointerSize == 8 || _eightByteAlignedLongs ? 8 : 4;

        public LayoutResult Compute(TypeShape shape, CancellationToken cancellationToken = default)
        {
            var info = GetInfo(shape, 0, cancellationToken);
            if (info.Problem is not null)
            {
                return LayoutResult.Failure(info.Problem);
            }

            return LayoutResult.Success(BuildLayout(shape, info));
        }

        private TypeInfo GetInfo(TypeShape shape, int depth, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_cache.TryGetValue(shape, out var cached))
            {
                return cached;
            }

            if (shape.Problem is not null)
            {
                return Remember(shape, TypeInfo.Failed(shape.Problem));
            }

            if (GenericDefinitionRepeats(shape))
            {
                return TypeInfo.FailedThroughWalk(Problem(shape, LayoutProblemKind.TypeLoadError, $"'{GenericDefinition(shape.Name)}' contains an ever larger instantiation of itself by value, so the runtime cannot load it"));
            }

            if (depth > MaxNestingDepth)
            {
                return TypeInfo.FailedThroughWalk(Problem(shape, LayoutProblemKind.Unknown, $"structs nest more than {MaxNestingDepth} deep; the layout is not computed"));
            }

            if (!_inProgress.Add(shape))
            {
                return TypeInfo.FailedThroughWalk(Problem(shape, LayoutProblemKind.TypeLoadError, $"'{shape.DisplayName}' contains itself by value (a layout cycle), so the runtime cannot load it"));
            }

            try
            {
                var info = shape.IsValueType ? LayOutValueType(shape, depth, cancellationToken) : LayOutClass(shape, depth, cancellationToken);
                info.IsByRefLike = shape.IsByRefLike;
                return Remember(shape, info);
            }
            finally
            {
                _inProgress.Remove(shape);
            }
        }

        private TypeInfo Remember(TypeShape shape, TypeInfo info)
        {
            // A failure found through the walk (a cycle, a runaway expansion) depends on where the walk started;
            // every other answer holds wherever the type is met.
            if (!info.FoundThroughWalk || _inProgress.Count <= 1)
            {
                _cache[shape] = info;
            }

            return info;
        }

        private TypeInfo LayOutValueType(TypeShape shape, int depth, CancellationToken cancellationToken)
        {
            var fields = new List<FieldSlot>(shape.Fields.Count);
            foreach (var field in shape.Fields)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var slot = DescribeField(shape, field, depth, cancellationToken, out var failure);
                if (failure is not null)
                {
                    return failure;
                }

                fields.Add(slot!);
            }

            var info = LayOutValueTypeFields(shape, fields);
            info.DependsOnOtherModules |= DependsOnOtherModules(shape, fields);
            return info;
        }

        private TypeInfo LayOutValueTypeFields(TypeShape shape, List<FieldSlot> fields)
        {
            if (shape.InlineArrayLength is not null)
            {
                return LayOutInlineArray(shape, fields);
            }

            if (shape.Layout == LayoutKindName.Explicit)
            {
                return shape.IsGenericInstantiation
                    ? TypeInfo.Failed(Problem(shape, LayoutProblemKind.TypeLoadError, "a generic type cannot have explicit layout"))
                    : LayOutExplicit(shape, fields, start: 0);
            }

            string? whyNotSequential = shape.Layout == LayoutKindName.Sequential ? WhyNotManagedSequential(fields) : null;
            if (shape.Layout == LayoutKindName.Sequential && whyNotSequential is null)
            {
                return LayOutSequentialStruct(shape, fields);
            }

            var info = LayOutAuto(shape, fields, start: 0, baseInfo: null);
            if (whyNotSequential is not null)
            {
                info.Notes.Add($"declared sequential, but the runtime lays it out automatically: {whyNotSequential}");
            }

            return info;
        }

        /// <summary>A struct field from another module (or whose own layout does) ties the layout to that module.</summary>
        private static bool DependsOnOtherModules(TypeShape shape, List<FieldSlot> fields) =>
            shape.HasTypeArgumentsFromOtherModules
            || fields.Any(f => f.Field.Type is ValueFieldType value && (value.Shape.Module != shape.Module || f.Nested!.DependsOnOtherModules));

        private TypeInfo LayOutClass(TypeShape shape, int depth, CancellationToken cancellationToken)
        {
            TypeInfo? baseInfo = null;
            if (shape.BaseType is not null)
            {
                baseInfo = GetInfo(shape.BaseType, depth + 1, cancellationToken);
                if (baseInfo.Problem is not null)
                {
                    return baseInfo.Derive(Problem(shape, baseInfo.Problem.Kind, $"base class '{shape.BaseType.DisplayName}': {baseInfo.Problem.Message}"));
                }
            }

            var fields = new List<FieldSlot>(shape.Fields.Count);
            foreach (var field in shape.Fields)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var slot = DescribeField(shape, field, depth, cancellationToken, out var failure);
                if (failure is not null)
                {
                    return failure;
                }

                if (slot!.Gc == FieldGcKind.ByRef || slot.Nested?.IsByRefLike == true)
                {
                    return TypeInfo.Failed(Problem(shape, LayoutProblemKind.TypeLoadError, $"field '{field.Name}' of a class is a ref or ref struct, which only ref structs may hold"));
                }

                fields.Add(slot);
            }

            int start = baseInfo?.Size ?? 0;
            bool baseFromOtherModule = shape.BaseType is not null && (shape.BaseType.Module != shape.Module || shape.BaseType.HasTypeArgumentsFromOtherModules || baseInfo!.DependsOnOtherModules);
            if (shape.IsReadyToRun && baseFromOtherModule)
            {
                start = (int)AlignUp(start, _pointerSize);
            }

            TypeInfo info;
            if (shape.Layout != LayoutKindName.Auto && baseInfo is not null && !baseInfo.HasLayout)
            {
                return TypeInfo.Failed(Problem(shape, LayoutProblemKind.TypeLoadError, $"a class with {shape.Layout.ToString().ToLowerInvariant()} layout cannot derive from '{shape.BaseType!.DisplayName}', whose layout is automatic"));
            }

            if (shape.Layout == LayoutKindName.Explicit && shape.IsGenericInstantiation)
            {
                return TypeInfo.Failed(Problem(shape, LayoutProblemKind.TypeLoadError, "a generic type cannot have explicit layout"));
            }

            if (shape.Layout == LayoutKindName.Explicit && baseInfo is not null)
            {
                // Measured (corpus family ExplicitDerived): the loader counts the base twice. A field lands at its
                // [FieldOffset] plus the base's field bytes plus, again, those bytes (at least 1), the latter rounded up
                // to the pointer size when the class's own fields hold references.
                long again = Math.Max(start, 1);
                if (fields.Any(f => f.Gc != FieldGcKind.None))
                {
                    again = AlignUp(again, _pointerSize);
                }

                info = LayOutExplicit(shape, fields, (int)Math.Min(start + again, MaxInstanceBytes), baseEnd: start);
            }
            else if (shape.Layout == LayoutKindName.Explicit)
            {
                info = LayOutExplicit(shape, fields, start);
            }
            else if (shape.Layout == LayoutKindName.Sequential && (baseInfo is null || baseInfo.IsManagedSequential) && WhyNotManagedSequential(fields) is null)
            {
                // Measured (corpus family ExplicitDerived): the end is rounded up to the base's alignment too.
                info = LayOutSequential(shape, fields, start, baseInfo?.Alignment ?? 1);
                info.IsManagedSequential = true;
                info.HasLayout = true;
            }
            else
            {
                info = LayOutAuto(shape, fields, start, baseInfo);
            }

            info.DependsOnOtherModules |= baseFromOtherModule || DependsOnOtherModules(shape, fields);
            if (baseInfo is not null && info.Problem is null)
            {
                info.Fields.InsertRange(0, baseInfo.Fields);
                info.GcOffsets.InsertRange(0, baseInfo.GcOffsets);
                info.ContainsGc |= baseInfo.ContainsGc;
            }

            return info;
        }

        private FieldSlot? DescribeField(TypeShape owner, FieldShape field, int depth, CancellationToken cancellationToken, out TypeInfo? failure)
        {
            failure = null;
            switch (field.Type)
            {
                case PrimitiveFieldType primitive:
                    int size = PrimitiveSize(primitive.Kind);
                    return new FieldSlot(field, owner.Name, size, PrimitiveAlignment(size), FieldGcKind.None, null);
                case ReferenceFieldType:
                    return new FieldSlot(field, owner.Name, _pointerSize, _pointerSize, FieldGcKind.Reference, null);
                case ByRefFieldType:
                    if (!owner.IsByRefLike)
                    {
                        failure = TypeInfo.Failed(Problem(owner, LayoutProblemKind.TypeLoadError, $"field '{field.Name}' is a ref field outside a ref struct"));
                        return null;
                    }

                    return new FieldSlot(field, owner.Name, _pointerSize, _pointerSize, FieldGcKind.ByRef, null);
                case ValueFieldType value:
                    var nestedShape = value.Shape;
                    var nested = GetInfo(nestedShape, depth + 1, cancellationToken);
                    if (nested.Problem is not null)
                    {
                        failure = nested.Derive(Problem(owner, nested.Problem.Kind, Chain($"field '{field.Name}' ({value.DisplayName})", nested.Problem.Message)));
                        return null;
                    }

                    if (nested.IsByRefLike && !owner.IsByRefLike)
                    {
                        failure = TypeInfo.Failed(Problem(owner, LayoutProblemKind.TypeLoadError, $"field '{field.Name}' is the ref struct '{value.DisplayName}', which only a ref struct may hold"));
                        return null;
                    }

                    var gc = nested.ContainsGc ? FieldGcKind.ContainsReferences : FieldGcKind.None;
                    return new FieldSlot(field, owner.Name, nested.Size, nested.Alignment, gc, nested);
                case UnknownFieldType unknown:
                    failure = TypeInfo.Failed(Problem(owner, unknown.Kind, $"field '{field.Name}': {unknown.Reason}"));
                    return null;
                default:
                    failure = TypeInfo.Failed(Problem(owner, LayoutProblemKind.Unknown, $"field '{field.Name}' has a type the engine does not know"));
                    return null;
            }
        }

        private int PrimitiveSize(PrimitiveKind kind) => kind switch
        {
            PrimitiveKind.Boolean or PrimitiveKind.SByte or PrimitiveKind.Byte => 1,
            PrimitiveKind.Char or PrimitiveKind.Int16 or PrimitiveKind.UInt16 => 2,
            PrimitiveKind.Int32 or PrimitiveKind.UInt32 or PrimitiveKind.Single => 4,
            PrimitiveKind.Int64 or PrimitiveKind.UInt64 or PrimitiveKind.Double => 8,
            _ => _pointerSize,
        };

        private int PrimitiveAlignment(int size) => size == 8 && !_eightByteAlignedLongs ? 4 : size;

        /// <summary>The CLR honours sequential layout only for types without object references, nested
        /// structs included (ref fields and nested auto or explicit structs do not matter).</summary>
        private static string? WhyNotManagedSequential(List<FieldSlot> fields)
        {
            foreach (var field in fields)
            {
                if (field.Gc == FieldGcKind.Reference)
                {
                    return $"field '{field.Field.Name}' is an object reference";
                }

                if (field.Gc == FieldGcKind.ContainsReferences)
                {
                    return $"field '{field.Field.Name}' ({field.Field.Type.DisplayName}) holds object references";
                }
            }

            return null;
        }

        private TypeInfo LayOutSequentialStruct(TypeShape shape, List<FieldSlot> fields)
        {
            var info = LayOutSequential(shape, fields, start: 0);
            info.IsManagedSequential = true;
            info.HasLayout = true;
            if (info.Problem is null && shape.Pack == 0)
            {
                SuggestSmallestOrder(shape, fields, info);
            }

            return info;
        }

        private TypeInfo LayOutSequential(TypeShape shape, List<FieldSlot> fields, int start, int baseAlignment = 1)
        {
            var info = new TypeInfo { Applied = LayoutKindName.Sequential };
            int pack = EffectivePack(shape.Pack);
            long position = start;
            int largest = Math.Min(baseAlignment, pack);
            foreach (var field in fields)
            {
                int alignment = Math.Min(field.Alignment, pack);
                position = AlignUp(position, alignment);
                info.Place(field, (int)Math.Min(position, int.MaxValue), alignment);
                position += field.Size;
                largest = Math.Max(largest, alignment);
                if (position > MaxInstanceBytes)
                {
                    return TooLarge(shape);
                }
            }

            if (shape.IntrinsicAlignment is int intrinsic)
            {
                largest = intrinsic;
            }

            // Measured: with Size= the loader takes the larger of Size (counted from the base's end) and the end of
            // the last field, unrounded; without it, the end is rounded up to the alignment.
            long size = shape.Size > 0
                ? Math.Max(position, (long)start + shape.Size)
                : AlignUp(shape.IsValueType ? Math.Max(position, 1) : position, largest);
            info.Size = (int)size;
            info.Alignment = largest;
            return info;
        }

        private int EffectivePack(int pack) => pack <= 0 ? int.MaxValue : pack;

        private void SuggestSmallestOrder(TypeShape shape, List<FieldSlot> fields, TypeInfo current)
        {
            // Largest alignment first, declaration order among equals, removes every inner hole; sizes of
            // sequential fields are multiples of their alignment, so no order can be smaller.
            var ordered = fields.Select((f, i) => (f, i)).OrderByDescending(x => x.f.Alignment).ThenBy(x => x.i).Select(x => x.f).ToList();
            var best = LayOutSequential(shape, ordered, start: 0);
            if (best.Problem is null && best.Size < current.Size)
            {
                current.SuggestedOrder = ordered.Select(f => f.Field.Name).ToList();
                current.SuggestedSize = best.Size;
            }
        }

        private TypeInfo LayOutInlineArray(TypeShape shape, List<FieldSlot> fields)
        {
            int length = shape.InlineArrayLength ?? 0;
            if (length <= 0)
            {
                return TypeInfo.Failed(Problem(shape, LayoutProblemKind.TypeLoadError, $"[InlineArray({shape.InlineArrayLength})]: the length must be positive"));
            }

            if (fields.Count != 1)
            {
                return TypeInfo.Failed(Problem(shape, LayoutProblemKind.TypeLoadError, $"an [InlineArray] struct must have exactly one instance field, not {fields.Count}"));
            }

            if (shape.Layout == LayoutKindName.Explicit)
            {
                return TypeInfo.Failed(Problem(shape, LayoutProblemKind.TypeLoadError, "an [InlineArray] struct cannot have explicit layout"));
            }

            if (shape.Size != 0)
            {
                return TypeInfo.Failed(Problem(shape, LayoutProblemKind.TypeLoadError, "an [InlineArray] struct cannot declare a StructLayout Size"));
            }

            var element = fields[0];
            long size = (long)element.Size * length;
            if (size > MaxInstanceBytes)
            {
                return TooLarge(shape);
            }

            var info = new TypeInfo { Applied = shape.Layout, Size = (int)size, Alignment = element.Alignment, HasLayout = shape.Layout != LayoutKindName.Auto };
            info.IsManagedSequential = shape.Layout == LayoutKindName.Sequential && WhyNotManagedSequential(fields) is null;
            info.Place(element, 0, element.Alignment);
            if (element.Gc is FieldGcKind.Reference or FieldGcKind.ContainsReferences)
            {
                // Every element holds the references of the first.
                var first = new List<int>(info.GcOffsets);
                for (int i = 1; i < length; i++)
                {
                    info.GcOffsets.AddRange(first.Select(o => o + (i * element.Size)));
                }
            }

            return info;
        }

        /// <param name="baseEnd">Where the base's fields end: the instance's extent when the class adds none.</param>
        private TypeInfo LayOutExplicit(TypeShape shape, List<FieldSlot> fields, int start, int? baseEnd = null)
        {
            var info = new TypeInfo { Applied = LayoutKindName.Explicit, HasLayout = true };
            int pack = EffectivePack(shape.Pack);
            int largest = 1;
            long end = baseEnd ?? start;
            foreach (var field in fields)
            {
                if (field.Field.ExplicitOffset is not int offset)
                {
                    return TypeInfo.Failed(Problem(shape, LayoutProblemKind.TypeLoadError, $"field '{field.Field.Name}' of an explicit-layout type has no [FieldOffset]"));
                }

                if (offset < 0)
                {
                    return TypeInfo.Failed(Problem(shape, LayoutProblemKind.TypeLoadError, $"field '{field.Field.Name}' has a negative offset ({offset})"));
                }

                int alignment = Math.Min(field.Alignment, pack);
                largest = Math.Max(largest, alignment);
                long absolute = (long)start + offset;
                if (absolute + field.Size > MaxInstanceBytes)
                {
                    return TooLarge(shape);
                }

                info.Place(field, (int)absolute, alignment);
                end = Math.Max(end, absolute + field.Size);
            }

            var conflict = FindReferenceOverlap(info.Fields, start);
            if (conflict is not null)
            {
                return TypeInfo.Failed(Problem(shape, LayoutProblemKind.TypeLoadError, conflict));
            }

            // Measured (corpus family ExplicitDerived): a class whose own fields hold references ends on a pointer
            // boundary, as a class deriving from it sees.
            if (!shape.IsValueType && fields.Any(f => f.Gc != FieldGcKind.None))
            {
                end = AlignUp(end, _pointerSize);
            }

            // Measured: as for sequential structs, Size= means the larger of Size and the unrounded end; explicit
            // classes ignore Size.
            long size = !shape.IsValueType ? end
                : shape.Size > 0 ? Math.Max(end, shape.Size)
                : AlignUp(Math.Max(end, 1), largest);

            info.Size = (int)size;
            info.Alignment = largest;
            return info;
        }

        /// <summary>The loader rejects explicit layouts where an object reference or a ref field is misaligned or
        /// shares bytes with anything but the same kind of slot at the same offset.</summary>
        private string? FindReferenceOverlap(List<PlacedField> placed, int start)
        {
            var slots = new Dictionary<int, FieldGcKind>();
            foreach (var field in placed)
            {
                foreach (var (offset, kind) in Slots(field))
                {
                    string what = kind == FieldGcKind.ByRef ? "ref field" : "object reference";
                    if (offset % _pointerSize != 0)
                    {
                        return $"the {what} in field '{field.Name}' is at offset {offset - start}, which is not pointer-aligned";
                    }

                    if (slots.TryGetValue(offset, out var existing) && existing != kind)
                    {
                        return $"a ref field and an object reference share offset {offset - start}";
                    }

                    slots[offset] = kind;
                }
            }

            foreach (var field in placed)
            {
                var own = new HashSet<int>(Slots(field).Select(s => s.Offset));
                foreach (var slot in slots)
                {
                    bool overlaps = slot.Key < field.Offset + field.Size && field.Offset < slot.Key + _pointerSize;
                    if (overlaps && !own.Contains(slot.Key))
                    {
                        string what = slot.Value == FieldGcKind.ByRef ? "ref field" : "reference field";
                        return $"a {what} overlaps the non-reference field '{field.Name}' at offset {slot.Key - start}";
                    }
                }
            }

            return null;
        }

        private static IEnumerable<(int Offset, FieldGcKind Kind)> Slots(PlacedField field) =>
            field.GcOffsets.Select(o => (o, FieldGcKind.Reference)).Concat(field.ByRefOffsets.Select(o => (o, FieldGcKind.ByRef)));

        /// <summary>CoreCLR's automatic layout (MethodTableBuilder::PlaceInstanceFields).</summary>
        private TypeInfo LayOutAuto(TypeShape shape, List<FieldSlot> fields, int start, TypeInfo? baseInfo)
        {
            var info = new TypeInfo { Applied = LayoutKindName.Auto, HasLayout = shape.Layout != LayoutKindName.Auto };
            int log2Slot = _pointerSize == 8 ? 3 : 2;
            const int MaxLog2 = 3;
            var buckets = new List<FieldSlot>[MaxLog2 + 1];
            for (int i = 0; i <= MaxLog2; i++)
            {
                buckets[i] = new List<FieldSlot>();
            }

            var valueFields = new List<FieldSlot>();
            foreach (var field in fields)
            {
                if (field.Nested is not null)
                {
                    valueFields.Add(field);
                }
                else
                {
                    buckets[Log2(field.Size)].Add(field);
                }
            }

            var offsets = new Dictionary<FieldSlot, long>();
            long position = start;

            // Back-fill: a base class that ends unaligned leaves a gap that small fields can use.
            if (position % DataAlignment != 0)
            {
                for (int i = 0; i < MaxLog2; i++)
                {
                    if (position % (1L << (i + 1)) == 0)
                    {
                        continue;
                    }

                    int bigger = i + 1;
                    while (bigger <= MaxLog2 && buckets[bigger].Count == 0)
                    {
                        bigger++;
                    }

                    if (bigger > MaxLog2)
                    {
                        break;
                    }

                    int smaller = i;
                    while (smaller >= 0 && buckets[smaller].Count == 0)
                    {
                        smaller--;
                    }

                    if (smaller < 0)
                    {
                        break;
                    }

                    i = smaller;
                    var candidate = buckets[i].FirstOrDefault(f => f.Gc != FieldGcKind.Reference);
                    if (candidate is null)
                    {
                        break;
                    }

                    position = AlignUp(position, 1L << i);
                    offsets[candidate] = position;
                    position += 1L << i;
                    buckets[i].Remove(candidate);
                }
            }

            // Largest first; within the pointer-size bucket, object references first.
            for (int i = MaxLog2; i >= 0; i--)
            {
                if (buckets[i].Count == 0)
                {
                    continue;
                }

                position = AlignUp(position, Math.Min(1 << i, DataAlignment));
                var ordered = i == log2Slot
                    ? buckets[i].Where(f => f.Gc == FieldGcKind.Reference).Concat(buckets[i].Where(f => f.Gc != FieldGcKind.Reference))
                    : buckets[i];
                foreach (var field in ordered)
                {
                    offsets[field] = position;
                    position += 1L << i;
                }
            }

            bool containsGc = fields.Any(f => f.Gc == FieldGcKind.Reference) || (baseInfo?.ContainsGc ?? false);
            // The loader counts every non-struct field as needing pointer alignment here.
            int largest = fields.Any(f => f.Nested is null) ? _pointerSize : 1;

            // Structs go last, in declaration order.
            foreach (var field in valueFields)
            {
                int alignment = field.Gc == FieldGcKind.ContainsReferences ? _pointerSize : field.Alignment;
                containsGc |= field.Gc == FieldGcKind.ContainsReferences;
                largest = Math.Max(largest, alignment);
                position = AlignUp(position, alignment);
                offsets[field] = position;
                position += field.Size;
                if (position > MaxInstanceBytes)
                {
                    return TooLarge(shape);
                }
            }

            foreach (var field in fields)
            {
                int alignment = field.Nested is null ? Math.Min(field.Alignment, DataAlignment) : field.Gc == FieldGcKind.ContainsReferences ? _pointerSize : field.Alignment;
                info.Place(field, (int)offsets[field], alignment);
            }

            info.ContainsGc = containsGc;
            if (position > MaxInstanceBytes)
            {
                return TooLarge(shape);
            }

            long bytes = position;
            if (shape.IsValueType)
            {
                bytes = Math.Max(bytes, 1);
                int minAlign;
                if (bytes > _pointerSize)
                {
                    minAlign = containsGc ? _pointerSize : largest;
                }
                else
                {
                    minAlign = 1;
                    while (minAlign < bytes)
                    {
                        minAlign *= 2;
                    }
                }

                bytes = AlignUp(bytes, minAlign);
                info.Alignment = minAlign;
            }
            else
            {
                info.Alignment = _pointerSize;
            }

            info.Size = (int)bytes;
            return info;
        }

        private TypeLayout BuildLayout(TypeShape shape, TypeInfo info)
        {
            bool isClass = !shape.IsValueType;
            int p = _pointerSize;
            int dataStart = isClass ? p : 0;
            int size = isClass ? (int)Math.Max(AlignUp((long)info.Size + (2 * p), p), 3 * p) : info.Size;
            int dataEnd = isClass ? size - p : size;

            var fields = info.Fields
                .OrderBy(f => f.Offset)
                .Select(f => new FieldLayout(f.Name, f.TypeName, f.Offset + dataStart, f.Size, f.Alignment, f.Gc, f.DeclaringType))
                .ToList();

            var holes = new List<PaddingHole>();
            int covered = dataStart;
            string? previous = null;
            foreach (var field in fields)
            {
                if (field.Offset > covered)
                {
                    holes.Add(new PaddingHole(covered, field.Offset - covered, previous, false));
                }

                // An inline array's one field stands for all its elements.
                int end = shape.InlineArrayLength is int length && length > 0 ? field.Offset + (field.Size * length) : field.End;
                if (end >= covered)
                {
                    covered = end;
                    previous = field.Name;
                }
            }

            if (dataEnd > covered)
            {
                holes.Add(new PaddingHole(covered, dataEnd - covered, previous, true));
            }

            return new TypeLayout
            {
                Name = shape.Name,
                DisplayName = shape.DisplayName,
                Category = isClass ? TypeCategory.Class : TypeCategory.Struct,
                PointerSize = p,
                DeclaredLayout = shape.Layout,
                AppliedLayout = info.Applied,
                Pack = shape.Pack,
                Size = size,
                Alignment = isClass ? p : info.Alignment,
                DataStart = dataStart,
                DataEnd = dataEnd,
                Fields = new EquatableArray<FieldLayout>(fields),
                Holes = new EquatableArray<PaddingHole>(holes),
                Padding = holes.Sum(h => h.Size),
                TrailingPadding = holes.Where(h => h.IsTrailing).Sum(h => h.Size),
                ReferenceCount = info.GcOffsets.Count,
                GcTrackedBytes = info.GcOffsets.Count * p,
                SuggestedOrder = info.SuggestedOrder is null ? EquatableArray<string>.Empty : new EquatableArray<string>(info.SuggestedOrder),
                SuggestedSize = info.SuggestedSize,
                Notes = new EquatableArray<string>(shape.InlineArrayLength is int count && count > 0 ? info.Notes.Prepend($"inline array: field '{fields[0].Name}' repeated {count} times").ToList() : info.Notes),
            };
        }

        private static int Log2(int size) => size switch
        {
            1 => 0,
            2 => 1,
            4 => 2,
            _ => 3,
        };

        private static long AlignUp(long value, long alignment) => alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment;

        /// <summary>"field 'a' (A): field 'b' (B): reason", shortened in the middle when the path is long.</summary>
        private static string Chain(string step, string inner)
        {
            const int MaxLength = 400;
            string message = step + ": " + inner;
            if (message.Length <= MaxLength)
            {
                return message;
            }

            int reason = inner.LastIndexOf("): ", StringComparison.Ordinal);
            string tail = reason >= 0 ? inner.Substring(reason + 3) : inner;
            return step + ": ...: " + (tail.Length > MaxLength ? tail.Substring(0, MaxLength) + "..." : tail);
        }

        /// <summary>A generic struct that holds a bigger instantiation of itself by value never ends.</summary>
        private bool GenericDefinitionRepeats(TypeShape shape)
        {
            const int MaxRepeats = 8;
            if (shape.Name.IndexOf('[') < 0)
            {
                return false;
            }

            string definition = GenericDefinition(shape.Name);
            int repeats = 0;
            foreach (var open in _inProgress)
            {
                if (GenericDefinition(open.Name) == definition && ++repeats >= MaxRepeats)
                {
                    return true;
                }
            }

            return false;
        }

        private static string GenericDefinition(string name)
        {
            int bracket = name.IndexOf('[');
            return bracket < 0 ? name : name.Substring(0, bracket);
        }

        private static LayoutProblem Problem(TypeShape shape, LayoutProblemKind kind, string message) => new(shape.Name, kind, message);

        private static TypeInfo TooLarge(TypeShape shape) =>
            TypeInfo.Failed(Problem(shape, LayoutProblemKind.TypeLoadError, "the instance is larger than the runtime allows for a type's fields"));

        /// <summary>A field about to be placed: its size and alignment as a member, and what the GC sees in it.</summary>
        private sealed class FieldSlot
        {
            public FieldSlot(FieldShape field, string declaringType, int size, int alignment, FieldGcKind gc, TypeInfo? nested)
            {
                Field = field;
                DeclaringType = declaringType;
                Size = size;
                Alignment = alignment;
                Gc = gc;
                Nested = nested;
            }

            public FieldShape Field { get; }

            public string DeclaringType { get; }

            public int Size { get; }

            public int Alignment { get; }

            public FieldGcKind Gc { get; }

            /// <summary>The laid-out struct, for fields of struct type.</summary>
            public TypeInfo? Nested { get; }
        }

        private sealed class PlacedField
        {
            public PlacedField(string name, string typeName, string declaringType, int offset, int size, int alignment, FieldGcKind gc, List<int> gcOffsets, List<int> byRefOffsets)
            {
                ByRefOffsets = byRefOffsets;
                Name = name;
                TypeName = typeName;
                DeclaringType = declaringType;
                Offset = offset;
                Size = size;
                Alignment = alignment;
                Gc = gc;
                GcOffsets = gcOffsets;
            }

            public string Name { get; }

            public string TypeName { get; }

            public string DeclaringType { get; }

            /// <summary>From the start of instance data (after the method-table pointer of a class).</summary>
            public int Offset { get; }

            public int Size { get; }

            public int Alignment { get; }

            public FieldGcKind Gc { get; }

            public List<int> GcOffsets { get; }

            public List<int> ByRefOffsets { get; }
        }

        /// <summary>What the loader knows of a type once its fields are placed.</summary>
        private sealed class TypeInfo
        {
            public LayoutProblem? Problem { get; private set; }

            /// <summary>Struct: its size. Class: bytes of instance fields, base classes included, unaligned.</summary>
            public int Size { get; set; }

            /// <summary>Alignment as a field of another type.</summary>
            public int Alignment { get; set; } = 1;

            public bool ContainsGc { get; set; }

            public bool IsManagedSequential { get; set; }

            public bool HasLayout { get; set; }

            public bool IsByRefLike { get; set; }

            /// <summary>A base class comes from another module (directly or further up).</summary>
            public bool DependsOnOtherModules { get; set; }

            public LayoutKindName Applied { get; set; }

            public List<PlacedField> Fields { get; } = new();

            /// <summary>Offsets of every object reference, nested ones included.</summary>
            public List<int> GcOffsets { get; } = new();

            /// <summary>Offsets of every managed pointer (ref field), nested ones included.</summary>
            public List<int> ByRefOffsets { get; } = new();

            public List<string> Notes { get; } = new();

            public List<string>? SuggestedOrder { get; set; }

            public int? SuggestedSize { get; set; }

            /// <summary>The failure came from the path the walk took (a cycle, a runaway expansion).</summary>
            public bool FoundThroughWalk { get; private set; }

            public static TypeInfo Failed(LayoutProblem problem) => new() { Problem = problem };

            public static TypeInfo FailedThroughWalk(LayoutProblem problem) => new() { Problem = problem, FoundThroughWalk = true };

            /// <summary>A failure of an enclosing type caused by this one's.</summary>
            public TypeInfo Derive(LayoutProblem problem) => new() { Problem = problem, FoundThroughWalk = FoundThroughWalk };

            public void Place(FieldSlot field, int offset, int alignment)
            {
                var gcOffsets = new List<int>();
                var byRefOffsets = new List<int>();
                if (field.Gc == FieldGcKind.Reference)
                {
                    gcOffsets.Add(offset);
                }
                else if (field.Gc == FieldGcKind.ByRef)
                {
                    byRefOffsets.Add(offset);
                }
                else if (field.Nested is not null)
                {
                    gcOffsets.AddRange(field.Nested.GcOffsets.Select(o => o + offset));
                }

                if (field.Nested is not null)
                {
                    byRefOffsets.AddRange(field.Nested.ByRefOffsets.Select(o => o + offset));
                }

                ByRefOffsets.AddRange(byRefOffsets);

                ContainsGc |= gcOffsets.Count > 0;
                GcOffsets.AddRange(gcOffsets);
                Fields.Add(new PlacedField(field.Field.Name, field.Field.Type.DisplayName, field.DeclaringType, offset, field.Size, alignment, field.Gc, gcOffsets, byRefOffsets));
            }
        }

        private sealed class ReferenceComparer : IEqualityComparer<TypeShape>
        {
            public static readonly ReferenceComparer Instance = new();

            public bool Equals(TypeShape? x, TypeShape? y) => ReferenceEquals(x, y);

            public int GetHashCode(TypeShape obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }
    }
}
