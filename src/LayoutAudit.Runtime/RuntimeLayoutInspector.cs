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
    /// Measures the layout the running CLR really gave a type: the address of each field of a real instance,
    /// minus the address of the instance. Structs (ref structs too) are measured in a local variable of a
    /// generated method; classes in an uninitialized instance, pinned while its addresses are read.
    /// </summary>
    public static class RuntimeLayoutInspector
    {
        private const BindingFlags DeclaredInstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

        public static MeasuredLayout Measure<T>() => Measure(typeof(T));

        /// <exception cref="ArgumentException">The type cannot be measured; the message says why.</exception>
        public static MeasuredLayout Measure(Type type)
        {
            if (!TryMeasure(type, out var layout, out string? whyNot))
            {
                throw new ArgumentException($"cannot measure {type}: {whyNot}", nameof(type));
            }

            return layout!;
        }

        /// <summary>Measures a type, or says why it cannot. Never throws.</summary>
        public static bool TryMeasure(Type type, out MeasuredLayout? layout, out string? whyNot)
        {
            layout = null;
            whyNot = WhyNotMeasurable(type);
            if (whyNot is not null)
            {
                return false;
            }

            try
            {
                layout = type.IsValueType ? MeasureStruct(type) : MeasureClass(type);
                return true;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                whyNot = $"{e.InnerException.GetType().Name}: {e.InnerException.Message}";
            }
            catch (Exception e) when (e is TypeLoadException or InvalidProgramException or NotSupportedException or ArgumentException or MemberAccessException or BadImageFormatException or TypeInitializationException)
            {
                whyNot = $"{e.GetType().Name}: {e.Message}";
            }

            return false;
        }

        private static string? WhyNotMeasurable(Type type)
        {
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

            if (!type.IsValueType && type.IsAbstract)
            {
                return type.IsSealed ? "a static class has no instances" : "an abstract class cannot be instantiated";
            }

            if (IsWeakReference(type))
            {
                return "the garbage collector handles weak references specially: an instance made without its constructor would corrupt its state";
            }

            try
            {
                _ = type.TypeHandle;
            }
            catch (Exception e) when (e is TypeLoadException or BadImageFormatException or NotSupportedException)
            {
                return $"{e.GetType().Name}: {e.Message}";
            }

            return null;
        }

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

        private static MeasuredLayout MeasureStruct(Type type)
        {
            var fields = type.GetFields(DeclaredInstanceFields);
            var measured = new List<MeasuredField>(fields.Length);
            foreach (var field in fields)
            {
                measured.Add(Describe(field, StructFieldOffset(type, field)));
            }

            return new MeasuredLayout(type.ToString(), TypeCategory.Struct, SizeOf(type), measured.OrderBy(f => f.Offset).ToList());
        }

        private static MeasuredLayout MeasureClass(Type type)
        {
            var fields = new List<FieldInfo>();
            for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
            {
                fields.AddRange(current.GetFields(DeclaredInstanceFields));
            }

            object instance = RuntimeHelpers.GetUninitializedObject(type);

            // No constructor ran, so a finalizer must not run on this instance either.
            GC.SuppressFinalize(instance);
            var measured = fields.Select(f => Describe(f, ClassFieldOffset(instance, f))).OrderBy(f => f.Offset).ToList();
            GC.KeepAlive(instance);
            return new MeasuredLayout(type.ToString(), TypeCategory.Class, HeapSize(type), measured);
        }

        /// <summary>Address of the field of a local of the struct's type, minus the local's address.</summary>
        private static int StructFieldOffset(Type type, FieldInfo field)
        {
            var method = new DynamicMethod("StructFieldOffset", typeof(long), Type.EmptyTypes, typeof(RuntimeLayoutInspector).Module, skipVisibility: true);
            var il = method.GetILGenerator();
            var local = il.DeclareLocal(type);
            il.Emit(OpCodes.Ldloca, local);
            il.Emit(OpCodes.Ldflda, field);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Ldloca, local);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Sub);
            il.Emit(OpCodes.Conv_I8);
            il.Emit(OpCodes.Ret);
            return checked((int)(long)method.Invoke(null, null)!);
        }

        /// <summary>Address of the field of the instance, minus the instance's address (its method-table pointer),
        /// read while a pinned local holds the instance so the GC cannot move it in between.</summary>
        private static int ClassFieldOffset(object instance, FieldInfo field)
        {
            var method = new DynamicMethod("ClassFieldOffset", typeof(long), new[] { typeof(object) }, typeof(RuntimeLayoutInspector).Module, skipVisibility: true);
            var il = method.GetILGenerator();
            var pinned = il.DeclareLocal(typeof(object), pinned: true);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Stloc, pinned);
            il.Emit(OpCodes.Ldloc, pinned);
            il.Emit(OpCodes.Ldflda, field);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Ldloc, pinned);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Sub);
            il.Emit(OpCodes.Conv_I8);
            il.Emit(OpCodes.Ret);
            return checked((int)(long)method.Invoke(null, new[] { instance })!);
        }

        /// <summary>The <c>sizeof</c> instruction: the size the runtime gave a value type.</summary>
        internal static int SizeOf(Type type)
        {
            var method = new DynamicMethod("SizeOf", typeof(int), Type.EmptyTypes, typeof(RuntimeLayoutInspector).Module, skipVisibility: true);
            var il = method.GetILGenerator();
            il.Emit(OpCodes.Sizeof, type);
            il.Emit(OpCodes.Ret);
            return (int)method.Invoke(null, null)!;
        }

        /// <summary>The heap size of an instance as the runtime records it: the base size in the type's method
        /// table (the second 32-bit word), which includes the object header and method-table pointer.</summary>
        private static unsafe int HeapSize(Type type) => *(int*)((byte*)type.TypeHandle.Value + 4);

        private static MeasuredField Describe(FieldInfo field, int offset)
        {
            var fieldType = field.FieldType;
            int size;
            bool isReference = false;
            if (fieldType.IsByRef || fieldType.IsPointer || fieldType.IsFunctionPointer || fieldType.IsUnmanagedFunctionPointer)
            {
                size = IntPtr.Size;
            }
            else if (fieldType.IsValueType)
            {
                size = SizeOf(fieldType);
            }
            else
            {
                size = IntPtr.Size;
                isReference = true;
            }

            return new MeasuredField(field.Name, field.DeclaringType!.ToString(), fieldType.ToString(), offset, size, isReference);
        }
    }
}
