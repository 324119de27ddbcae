using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using LayoutAudit.Core;

namespace LayoutAudit.Runtime
{
    /// <summary>
    /// Measures the layout the running CLR really gave a type: the address of each field of an instance, minus the
    /// address of the instance, read by a generated method. Structs (ref structs too) are measured in a local
    /// variable of that method; classes in an instance made without a constructor, pinned while its addresses are
    /// read.
    /// </summary>
    public static class RuntimeLayoutInspector
    {
        private const BindingFlags DeclaredInstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

        private static readonly Type RuntimeTypeClass = typeof(object).GetType();

        public static MeasuredLayout Measure<T>() => Measure(typeof(T));

        /// <exception cref="ArgumentException">The type cannot be measured; the message says why.</exception>
        public static MeasuredLayout Measure(Type type)
        {
            if (!TryMeasure(type, out var layout, out string? whyNot))
            {
                throw new ArgumentException($"cannot measure {type?.ToString() ?? "null"}: {whyNot}", nameof(type));
            }

            return layout!;
        }

        /// <summary>Measures a type, or says why it cannot. Never throws.</summary>
        public static bool TryMeasure(Type type, out MeasuredLayout? layout, out string? whyNot)
        {
            layout = null;
            try
            {
                whyNot = WhyNotMeasurable(type);
                if (whyNot is not null)
                {
                    return false;
                }

                layout = type.IsValueType ? MeasureStruct(type) : MeasureClass(type);
                return true;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                whyNot = $"{e.InnerException.GetType().Name}: {e.InnerException.Message}";
            }
            catch (Exception e)
            {
                // A type the runtime refuses to load surfaces here as a TypeLoadException (often from a field's type).
                whyNot = $"{e.GetType().Name}: {e.Message}";
            }

            return false;
        }

        private static string? WhyNotMeasurable(Type? type)
        {
            if (type is null)
            {
                return "no type given";
            }

            if (type.GetType() != RuntimeTypeClass)
            {
                return $"only types loaded by the runtime can be measured, not a {type.GetType().Name}";
            }

            if (type.ContainsGenericParameters)
            {
                return "an open generic type has no instances";
            }

            if (type.IsInterface || type.IsPointer || type.IsByRef || type.IsArray || type == typeof(void) || type.IsFunctionPointer)
            {
                return "only structs and classes have an instance layout";
            }

            if (type == typeof(string))
            {
                return "a string is a variable-size object";
            }

            if (type.IsAbstract && type.IsSealed)
            {
                return "a static class has no instances";
            }

            return null;
        }

        private static MeasuredLayout MeasureStruct(Type type)
        {
            var fields = type.GetFields(DeclaredInstanceFields);
            var offsets = new long[fields.Length];
            FieldAddressReader(type, fields, isClass: false).Invoke(null, new object?[] { offsets });
            return new MeasuredLayout(type.ToString(), TypeCategory.Struct, SizeOf(type), Describe(fields, offsets));
        }

        private static MeasuredLayout MeasureClass(Type type)
        {
            var fields = new List<FieldInfo>();
            for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
            {
                fields.InsertRange(0, current.GetFields(DeclaredInstanceFields));
            }

            int heapSize = HeapSize(type);
            object holder = NewInstance(type) ?? StandIn(heapSize);
            var offsets = new long[fields.Count];
            FieldAddressReader(type, fields, isClass: true).Invoke(null, new[] { holder, offsets });
            return new MeasuredLayout(type.ToString(), TypeCategory.Class, heapSize, Describe(fields, offsets));
        }

        /// <summary>An instance made without running a constructor, or null when the type has none to give: an
        /// abstract class, a delegate (the runtime refuses to make one this way), a weak reference (the GC treats
        /// its handle specially, and one never constructed would confuse it).</summary>
        private static object? NewInstance(Type type)
        {
            if (type.IsAbstract || typeof(Delegate).IsAssignableFrom(type) || IsWeakReference(type))
            {
                return null;
            }

            object instance = RuntimeHelpers.GetUninitializedObject(type);

            // No constructor ran, so no finalizer may run on it either.
            GC.SuppressFinalize(instance);
            return instance;
        }

        /// <summary>
        /// An object at least as large as an instance of the type, for types that have no instance to measure. The
        /// JIT computes a field's address from the offset the runtime gave the field in every instance of its
        /// declaring type, whatever object it is applied to, and the generated method only subtracts addresses and
        /// never reads or writes through them; a stand-in this large keeps every address inside it.
        /// </summary>
        private static object StandIn(int heapSize) => new byte[heapSize];

        private static bool IsWeakReference(Type? type)
        {
            for (; type is not null; type = type.BaseType)
            {
                if (type == typeof(WeakReference) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(WeakReference<>)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// A generated method that stores, for each field, its address minus the address of the instance. For a
        /// struct, the instance is a local of the method (<c>void M(long[] offsets)</c>). For a class, it is the
        /// argument (<c>void M(object holder, long[] offsets)</c>), copied to a pinned local so that the GC cannot move
        /// it between the two addresses; nothing in the method allocates or calls out.
        /// </summary>
        private static DynamicMethod FieldAddressReader(Type type, IReadOnlyList<FieldInfo> fields, bool isClass)
        {
            var parameters = isClass ? new[] { typeof(object), typeof(long[]) } : new[] { typeof(long[]) };
            var method = new DynamicMethod("FieldOffsets", typeof(void), parameters, typeof(RuntimeLayoutInspector).Module, skipVisibility: true);
            var il = method.GetILGenerator();
            var instance = il.DeclareLocal(isClass ? typeof(object) : type, pinned: isClass);
            if (isClass)
            {
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Stloc, instance);
            }

            for (int i = 0; i < fields.Count; i++)
            {
                il.Emit(isClass ? OpCodes.Ldarg_1 : OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldc_I4, i);
                LoadInstanceAddress();
                il.Emit(OpCodes.Ldflda, fields[i]);
                il.Emit(OpCodes.Conv_U);
                LoadInstanceAddress();
                il.Emit(OpCodes.Conv_U);
                il.Emit(OpCodes.Sub);
                il.Emit(OpCodes.Conv_I8);
                il.Emit(OpCodes.Stelem_I8);
            }

            il.Emit(OpCodes.Ret);
            return method;

            // A struct local by address; a class instance by its reference (which points at its method-table pointer).
            void LoadInstanceAddress() => il.Emit(isClass ? OpCodes.Ldloc : OpCodes.Ldloca, instance);
        }

        /// <summary>The <c>sizeof</c> instruction: the size the runtime gave a value type.</summary>
        private static int SizeOf(Type type)
        {
            var method = new DynamicMethod("SizeOf", typeof(int), Type.EmptyTypes, typeof(RuntimeLayoutInspector).Module, skipVisibility: true);
            var il = method.GetILGenerator();
            il.Emit(OpCodes.Sizeof, type);
            il.Emit(OpCodes.Ret);
            return (int)method.Invoke(null, null)!;
        }

        /// <summary>The heap size of an instance as the runtime records it: the base size in the type's method
        /// table (its second 32-bit word), which includes the object header and method-table pointer.</summary>
        private static unsafe int HeapSize(Type type) => *(int*)((byte*)type.TypeHandle.Value + 4);

        private static List<MeasuredField> Describe(IReadOnlyList<FieldInfo> fields, long[] offsets)
        {
            var measured = new List<MeasuredField>(fields.Count);
            for (int i = 0; i < fields.Count; i++)
            {
                var fieldType = fields[i].FieldType;
                bool isReference = !fieldType.IsValueType && !fieldType.IsByRef && !fieldType.IsPointer && !fieldType.IsFunctionPointer;

                // References, managed (ref fields) and unmanaged pointers all take one pointer.
                int size = fieldType.IsValueType ? SizeOf(fieldType) : IntPtr.Size;
                measured.Add(new MeasuredField(fields[i].Name, fields[i].DeclaringType!.ToString(), fieldType.ToString(), checked((int)offsets[i]), size, isReference));
            }

            // Stable: fields that share an offset (explicit layout) keep their declaration order.
            return measured.OrderBy(f => f.Offset).ToList();
        }
    }
}
