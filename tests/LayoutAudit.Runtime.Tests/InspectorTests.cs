using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LayoutAudit.Core;
using LayoutAudit.Runtime;
using Xunit;

namespace LayoutAudit.Runtime.Tests
{
    /// <summary>The inspector checked against sources that do not share its technique: <c>Unsafe.SizeOf</c>,
    /// <c>Marshal.OffsetOf</c>, byte offsets of references the C# compiler takes to fields, and the bytes an allocation
    /// really takes.</summary>
    public sealed class InspectorTests
    {
        [StructLayout(LayoutKind.Sequential)]
        public struct Blittable
        {
            public byte A;
            public long B;
            public short C;
            public int D;
        }

        [StructLayout(LayoutKind.Sequential, Pack = 1)]
        public struct Packed
        {
            public byte A;
            public long B;
            public short C;
        }

        [StructLayout(LayoutKind.Explicit, Size = 24)]
        public struct Explicit
        {
            [FieldOffset(0)] public long Whole;
            [FieldOffset(4)] public int High;
            [FieldOffset(13)] public byte Odd;
        }

        public struct Mixed
        {
            public bool A;
            public object? B;
            public int C;
            public Guid D;
        }

        public struct Pair<T>
        {
            public T First;
            public byte Second;
        }

        public ref struct Spanning
        {
            public Span<int> Items;
            public byte Flag;
            public ref long Counter;
        }

        public class Base
        {
            private int _hidden = 1;
            public byte Visible;

            public int Hidden => _hidden;
        }

        public sealed class Derived : Base
        {
            public long Own;

            public string? Name { get; set; }
        }

        public class Nothing
        {
        }

        public sealed class Box<T>
        {
            public T? Value;
            public short Tag;
        }

        public abstract class Shape
        {
            public int Sides;
            public double Area;

            public abstract string Describe();
        }

        /// <summary>Adds no field, so its instances are exactly as large as its abstract base's.</summary>
        public sealed class Square : Shape
        {
            public override string Describe() => "square";
        }

        /// <summary>Any object seen as this class: <see cref="Data"/> is the first byte after the method-table
        /// pointer (the trick the runtime's own <c>RuntimeHelpers.GetRawData</c> uses).</summary>
        private sealed class RawObject
        {
            public byte Data;
        }

        /// <summary>Bytes from an object reference (its method-table pointer) to <paramref name="field"/>.</summary>
        private static int OffsetFromReference(object instance, ref byte field) =>
            (int)Unsafe.ByteOffset(ref Unsafe.As<RawObject>(instance).Data, ref field) + IntPtr.Size;

        private static Dictionary<string, MeasuredField> FieldsByName<T>() => RuntimeLayoutInspector.Measure<T>().Fields.ToDictionary(f => f.Name);

        /// <summary>The bytes the GC heap gives an allocation (the second of two, so that nothing the first one
        /// set up is counted).</summary>
        private static long AllocatedBytes(Func<object> allocate)
        {
            long bytes = 0;
            for (int i = 0; i < 2; i++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                var instance = allocate();
                bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                GC.KeepAlive(instance);
            }

            return bytes;
        }

        [Fact]
        public void StructSizesEqualUnsafeSizeOf()
        {
            Assert.Equal(Unsafe.SizeOf<Blittable>(), RuntimeLayoutInspector.Measure<Blittable>().Size);
            Assert.Equal(Unsafe.SizeOf<Packed>(), RuntimeLayoutInspector.Measure<Packed>().Size);
            Assert.Equal(Unsafe.SizeOf<Explicit>(), RuntimeLayoutInspector.Measure<Explicit>().Size);
            Assert.Equal(Unsafe.SizeOf<Mixed>(), RuntimeLayoutInspector.Measure<Mixed>().Size);
            Assert.Equal(Unsafe.SizeOf<Pair<long>>(), RuntimeLayoutInspector.Measure<Pair<long>>().Size);
            Assert.Equal(Unsafe.SizeOf<Pair<object>>(), RuntimeLayoutInspector.Measure<Pair<object>>().Size);
            Assert.Equal(Unsafe.SizeOf<Spanning>(), RuntimeLayoutInspector.Measure(typeof(Spanning)).Size);
            Assert.Equal(Unsafe.SizeOf<DateTime>(), RuntimeLayoutInspector.Measure<DateTime>().Size);
            Assert.Equal(Unsafe.SizeOf<decimal>(), RuntimeLayoutInspector.Measure<decimal>().Size);
        }

        [Fact]
        public void BlittableOffsetsEqualMarshalOffsetOf()
        {
            // For blittable structs of sequential or explicit layout, the managed and native layouts coincide.
            AssertMatchesMarshal<Blittable>();
            AssertMatchesMarshal<Packed>();
            AssertMatchesMarshal<Explicit>();

            static void AssertMatchesMarshal<T>()
            {
                var measured = RuntimeLayoutInspector.Measure<T>();
                Assert.Equal(typeof(T).GetFields().Length, measured.Fields.Count);
                foreach (var field in measured.Fields)
                {
                    Assert.Equal((int)Marshal.OffsetOf<T>(field.Name), field.Offset);
                }

                Assert.Equal(Marshal.SizeOf<T>(), measured.Size);
            }
        }

        [Fact]
        public void StructOffsetsEqualByteOffsetsOfReferencesToTheFields()
        {
            var value = default(Mixed);
            var measured = FieldsByName<Mixed>();
            ref byte start = ref Unsafe.As<Mixed, byte>(ref value);
            Assert.Equal((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<bool, byte>(ref value.A)), measured["A"].Offset);
            Assert.Equal((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<object?, byte>(ref value.B)), measured["B"].Offset);
            Assert.Equal((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<int, byte>(ref value.C)), measured["C"].Offset);
            Assert.Equal((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<Guid, byte>(ref value.D)), measured["D"].Offset);
            Assert.Equal(Unsafe.SizeOf<Guid>(), measured["D"].Size);
            Assert.True(measured["B"].IsReference);
            Assert.False(measured["C"].IsReference);
        }

        [Fact]
        public void ClosedGenericStructOffsetsEqualByteOffsets()
        {
            var value = default(Pair<long>);
            var measured = RuntimeLayoutInspector.Measure<Pair<long>>();
            ref byte start = ref Unsafe.As<Pair<long>, byte>(ref value);
            var byName = measured.Fields.ToDictionary(f => f.Name);
            Assert.Equal((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref value.First)), byName["First"].Offset);
            Assert.Equal((int)Unsafe.ByteOffset(ref start, ref value.Second), byName["Second"].Offset);
            Assert.Equal(typeof(Pair<long>).ToString(), measured.Name);
            Assert.All(measured.Fields, f => Assert.Equal(typeof(Pair<long>).ToString(), f.DeclaringType));
        }

        [Fact]
        public void RefStructOffsetsEqualByteOffsets()
        {
            long counter = 0;
            var value = new Spanning { Counter = ref counter };
            var measured = RuntimeLayoutInspector.Measure(typeof(Spanning)).Fields.ToDictionary(f => f.Name);
            ref byte start = ref Unsafe.As<Spanning, byte>(ref value);
            Assert.Equal((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<Span<int>, byte>(ref value.Items)), measured["Items"].Offset);
            Assert.Equal((int)Unsafe.ByteOffset(ref start, ref value.Flag), measured["Flag"].Offset);
            Assert.Equal(3, measured.Count);

            // A ref field is a managed pointer: one pointer wide, and not an object reference.
            Assert.Equal(IntPtr.Size, measured["Counter"].Size);
            Assert.False(measured["Counter"].IsReference);
            Assert.Equal(Unsafe.SizeOf<Span<int>>(), measured["Items"].Size);
        }

        [Fact]
        public void ClassOffsetsCountFromTheObjectReference()
        {
            var instance = new Derived();
            var measured = FieldsByName<Derived>();
            Assert.Equal(OffsetFromReference(instance, ref Unsafe.As<long, byte>(ref instance.Own)), measured["Own"].Offset);
            Assert.Equal(OffsetFromReference(instance, ref instance.Visible), measured["Visible"].Offset);

            // Nothing precedes the first field but the method-table pointer.
            Assert.Equal(IntPtr.Size, measured.Values.Min(f => f.Offset));
        }

        [Fact]
        public void ClosedGenericClassOffsetsEqualByteOffsets()
        {
            var instance = new Box<string>();
            var measured = RuntimeLayoutInspector.Measure<Box<string>>();
            var byName = measured.Fields.ToDictionary(f => f.Name);
            Assert.Equal(OffsetFromReference(instance, ref Unsafe.As<string?, byte>(ref instance.Value)), byName["Value"].Offset);
            Assert.Equal(OffsetFromReference(instance, ref Unsafe.As<short, byte>(ref instance.Tag)), byName["Tag"].Offset);
            Assert.True(byName["Value"].IsReference);
            Assert.Equal(AllocatedBytes(() => new Box<string>()), measured.Size);
        }

        [Fact]
        public void PrivateInheritedAndBackingFieldsAreMeasuredWithTheirDeclaringType()
        {
            var measured = RuntimeLayoutInspector.Measure<Derived>();
            Assert.Equal(TypeCategory.Class, measured.Category);
            Assert.Equal(typeof(Derived).FullName, measured.Name);
            Assert.Contains(measured.Fields, f => f.Name == "_hidden" && f.DeclaringType == typeof(Base).FullName && f.Size == sizeof(int));
            Assert.Contains(measured.Fields, f => f.Name == "Visible" && f.DeclaringType == typeof(Base).FullName);
            Assert.Contains(measured.Fields, f => f.Name == "Own" && f.DeclaringType == typeof(Derived).FullName);
            Assert.Contains(measured.Fields, f => f.Name == "<Name>k__BackingField" && f.DeclaringType == typeof(Derived).FullName && f.IsReference && f.Size == IntPtr.Size);
            Assert.Equal(4, measured.Fields.Count);

            // The private field is where a reference to it points: read it through the measured offset.
            var instance = new Derived();
            int hiddenOffset = measured.Fields.Single(f => f.Name == "_hidden").Offset;
            Assert.Equal(instance.Hidden, Unsafe.As<byte, int>(ref Unsafe.Add(ref Unsafe.As<RawObject>(instance).Data, hiddenOffset - IntPtr.Size)));
        }

        [Fact]
        public void ClassSizesEqualTheBytesAnAllocationTakes()
        {
            Assert.Equal(AllocatedBytes(() => new Derived()), RuntimeLayoutInspector.Measure<Derived>().Size);
            Assert.Equal(AllocatedBytes(() => new Base()), RuntimeLayoutInspector.Measure<Base>().Size);
            Assert.Equal(AllocatedBytes(() => new Version(1, 2, 3, 4)), RuntimeLayoutInspector.Measure<Version>().Size);
            Assert.Equal(AllocatedBytes(() => new WeakReference(null)), RuntimeLayoutInspector.Measure<WeakReference>().Size);
        }

        [Fact]
        public void AClassWithNoFieldsHasTheMinimumObjectSize()
        {
            var measured = RuntimeLayoutInspector.Measure<Nothing>();
            Assert.Empty(measured.Fields);
            Assert.Equal(AllocatedBytes(() => new Nothing()), measured.Size);

            // The smallest object there is: a bare System.Object.
            Assert.Equal(AllocatedBytes(() => new object()), measured.Size);
            Assert.Equal(measured.Size, RuntimeLayoutInspector.Measure<object>().Size);
        }

        [Fact]
        public void AbstractClassesAreMeasuredWithoutAnInstance()
        {
            var measured = RuntimeLayoutInspector.Measure<Shape>();
            var square = new Square();
            var byName = measured.Fields.ToDictionary(f => f.Name);
            Assert.Equal(OffsetFromReference(square, ref Unsafe.As<int, byte>(ref square.Sides)), byName["Sides"].Offset);
            Assert.Equal(OffsetFromReference(square, ref Unsafe.As<double, byte>(ref square.Area)), byName["Area"].Offset);
            Assert.Equal(AllocatedBytes(() => new Square()), measured.Size);
        }

        [Fact]
        public void DelegatesAreMeasuredWithoutAnInstance()
        {
            var measured = RuntimeLayoutInspector.Measure<Action>();
            var target = new DelegateTarget();
            Assert.Equal(AllocatedBytes(() => new Action(target.Touch)), measured.Size);
            Assert.Contains(measured.Fields, f => f.DeclaringType == typeof(Delegate).FullName);
            Assert.Contains(measured.Fields, f => f.DeclaringType == typeof(MulticastDelegate).FullName);

            // The delegate's target is where the measured offset of Delegate._target says. The target is pinned, so its
            // address can be compared with the slot's content as a plain number (a wrong offset then fails cleanly).
            var pin = GCHandle.Alloc(target, GCHandleType.Pinned);
            try
            {
                Action action = target.Touch;
                int targetOffset = measured.Fields.Single(f => f.Name == "_target").Offset;
                nint slot = Unsafe.As<byte, nint>(ref Unsafe.Add(ref Unsafe.As<RawObject>(action).Data, targetOffset - IntPtr.Size));
                Assert.Equal(Unsafe.As<DelegateTarget, nint>(ref target), slot);
            }
            finally
            {
                pin.Free();
            }
        }

        [Fact]
        public void AFieldWhoseTypeCannotLoadIsReportedWithTheRuntimesReason()
        {
            // Built at run time: in the test assembly itself, the refused type would stop test discovery.
            var module = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Refused"), AssemblyBuilderAccess.Run).DefineDynamicModule("Refused");

            // The runtime refuses this class: an object reference overlapped by plain data.
            var unloadable = module.DefineType("Unloadable", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.ExplicitLayout, typeof(object));
            unloadable.DefineField("Reference", typeof(object), FieldAttributes.Public).SetOffset(0);
            unloadable.DefineField("Number", typeof(long), FieldAttributes.Public).SetOffset(0);

            // This one loads (a reference field needs no layout of its type), but its field's type does not.
            var holder = module.DefineType("HoldsUnloadable", TypeAttributes.Public | TypeAttributes.Sealed, typeof(object));
            holder.DefineField("Field", unloadable, FieldAttributes.Public);
            var holderType = holder.CreateType();
            Assert.Throws<TypeLoadException>(() => unloadable.CreateType());

            Assert.False(RuntimeLayoutInspector.TryMeasure(holderType, out var layout, out string? whyNot));
            Assert.Null(layout);
            Assert.StartsWith("TypeLoadException:", whyNot, StringComparison.Ordinal);
            Assert.Contains("Unloadable", whyNot, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(typeof(Pair<>), "open generic")]
        [InlineData(typeof(IDisposable), "only structs and classes")]
        [InlineData(typeof(string), "variable-size")]
        [InlineData(typeof(Console), "static class")]
        [InlineData(typeof(int[]), "only structs and classes")]
        [InlineData(typeof(int*), "only structs and classes")]
        [InlineData(typeof(void), "only structs and classes")]
        public void WhatCannotBeMeasuredSaysWhy(Type type, string reason)
        {
            AssertRefused(type, reason);
        }

        [Fact]
        public void ByRefsTypesNotLoadedByTheRuntimeAndNullAreRefused()
        {
            AssertRefused(typeof(int).MakeByRefType(), "only structs and classes");
            AssertRefused(new TypeDelegator(typeof(int)), "only types loaded by the runtime");
            var module = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Unfinished"), AssemblyBuilderAccess.Run).DefineDynamicModule("Unfinished");
            AssertRefused(module.DefineType("NotCreated", TypeAttributes.Public | TypeAttributes.Sealed, typeof(ValueType)), "only types loaded by the runtime");
            Assert.False(RuntimeLayoutInspector.TryMeasure(null!, out _, out string? whyNot));
            Assert.Equal("no type given", whyNot);
        }

        private static void AssertRefused(Type type, string reason)
        {
            Assert.False(RuntimeLayoutInspector.TryMeasure(type, out var layout, out string? whyNot));
            Assert.Null(layout);
            Assert.Contains(reason, whyNot, StringComparison.Ordinal);
            var error = Assert.Throws<ArgumentException>(() => RuntimeLayoutInspector.Measure(type));
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        }
    }

    internal sealed class DelegateTarget
    {
        public int Touches;

        public void Touch() => Touches++;
    }
}
