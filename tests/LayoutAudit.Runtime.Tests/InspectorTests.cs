using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LayoutAudit.Core;
using LayoutAudit.Runtime;
using Xunit;

namespace LayoutAudit.Runtime.Tests
{
    /// <summary>The inspector checked against sources that do not share its technique.</summary>
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

        public struct Mixed
        {
            public bool A;
            public object? B;
            public int C;
            public Guid D;
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

        public ref struct Spanning
        {
            public Span<int> Items;
            public byte Flag;
        }

        public struct Pair<T>
        {
            public T First;
            public byte Second;
        }

        [Fact]
        public void StructSizesEqualUnsafeSizeOf()
        {
            Assert.Equal(Unsafe.SizeOf<Blittable>(), RuntimeLayoutInspector.Measure<Blittable>().Size);
            Assert.Equal(Unsafe.SizeOf<Mixed>(), RuntimeLayoutInspector.Measure<Mixed>().Size);
            Assert.Equal(Unsafe.SizeOf<Pair<long>>(), RuntimeLayoutInspector.Measure<Pair<long>>().Size);
            Assert.Equal(Unsafe.SizeOf<DateTime>(), RuntimeLayoutInspector.Measure<DateTime>().Size);
        }

        [Fact]
        public void BlittableOffsetsEqualMarshalOffsetOf()
        {
            // For blittable sequential structs the managed and native layouts coincide.
            var measured = RuntimeLayoutInspector.Measure<Blittable>();
            foreach (var field in measured.Fields)
            {
                Assert.Equal((int)Marshal.OffsetOf<Blittable>(field.Name), field.Offset);
            }

            Assert.Equal(Marshal.SizeOf<Blittable>(), measured.Size);
        }

        [Fact]
        public void StructOffsetsEqualByteOffsetsOfReferencesToTheFields()
        {
            var value = default(Mixed);
            var measured = RuntimeLayoutInspector.Measure<Mixed>().Fields.ToDictionary(f => f.Name);
            ref byte start = ref Unsafe.As<Mixed, byte>(ref value);
            Assert.Equal((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<bool, byte>(ref value.A)), measured["A"].Offset);
            Assert.Equal((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<object?, byte>(ref value.B)), measured["B"].Offset);
            Assert.Equal((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<int, byte>(ref value.C)), measured["C"].Offset);
            Assert.Equal((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<Guid, byte>(ref value.D)), measured["D"].Offset);
            Assert.True(measured["B"].IsReference);
        }

        [Fact]
        public void ClassFieldsCountFromTheObjectReference()
        {
            var instance = new Derived();
            var measured = RuntimeLayoutInspector.Measure<Derived>();
            var byName = measured.Fields.ToDictionary(f => f.Name);

            // The first field of any object sits right after the method-table pointer.
            Assert.Equal(IntPtr.Size, measured.Fields.Min(f => f.Offset));

            // The offset of a field the test can reference, from the object's data start (RuntimeHelpers.GetRawData's
            // equivalent: a pinned reference to the first field minus the pointer size).
            ref byte own = ref Unsafe.As<long, byte>(ref instance.Own);
            ref byte visible = ref instance.Visible;
            Assert.Equal(byName["Own"].Offset - byName["Visible"].Offset, (int)Unsafe.ByteOffset(ref visible, ref own));
        }

        [Fact]
        public void PrivateInheritedAndBackingFieldsAreMeasuredWithTheirDeclaringType()
        {
            var measured = RuntimeLayoutInspector.Measure<Derived>();
            Assert.Contains(measured.Fields, f => f.Name == "_hidden" && f.DeclaringType == typeof(Base).ToString());
            Assert.Contains(measured.Fields, f => f.Name == "Visible" && f.DeclaringType == typeof(Base).ToString());
            Assert.Contains(measured.Fields, f => f.Name == "<Name>k__BackingField" && f.DeclaringType == typeof(Derived).ToString() && f.IsReference);
            Assert.Equal(4, measured.Fields.Count);
            Assert.Equal(TypeCategory.Class, measured.Category);
        }

        [Fact]
        public void ClassSizesEqualTheBytesAnAllocationTakes()
        {
            foreach (var type in new[] { typeof(Derived), typeof(Nothing), typeof(Base), typeof(Version) })
            {
                var measured = RuntimeLayoutInspector.Measure(type);
                long before = GC.GetAllocatedBytesForCurrentThread();
                var instance = RuntimeHelpers.GetUninitializedObject(type);
                long after = GC.GetAllocatedBytesForCurrentThread();
                GC.KeepAlive(instance);
                Assert.Equal(after - before, measured.Size);
            }
        }

        [Fact]
        public void RefStructsAreMeasured()
        {
            var measured = RuntimeLayoutInspector.Measure(typeof(Spanning));
            Assert.Equal(2 * IntPtr.Size + IntPtr.Size, measured.Size);
            Assert.Equal(new[] { "Items", "Flag" }, measured.Fields.Select(f => f.Name));
        }

        [Theory]
        [InlineData(typeof(Pair<>), "open generic")]
        [InlineData(typeof(IDisposable), "only structs and classes")]
        [InlineData(typeof(string), "variable-size")]
        [InlineData(typeof(Console), "static class")]
        [InlineData(typeof(System.IO.Stream), "abstract class")]
        [InlineData(typeof(int[]), "only structs and classes")]
        public void WhatCannotBeMeasuredSaysWhy(Type type, string reason)
        {
            Assert.False(RuntimeLayoutInspector.TryMeasure(type, out var layout, out string? whyNot));
            Assert.Null(layout);
            Assert.Contains(reason, whyNot, StringComparison.Ordinal);
            var error = Assert.Throws<ArgumentException>(() => RuntimeLayoutInspector.Measure(type));
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        }
    }
}
