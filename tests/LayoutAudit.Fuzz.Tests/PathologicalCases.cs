using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace LayoutAudit.Fuzz.Tests
{
    /// <summary>What a user should see for an audited type.</summary>
    internal enum Expected
    {
        /// <summary>A valid type: a layout. With an error id, the compiler reports an error in the [AuditLayout]
        /// arguments, which change what is checked but not the layout: the type's layout is still given.</summary>
        Layout,

        /// <summary>The compiler is silent but the runtime would refuse the type, or it has no instance layout:
        /// LA0010 says why, and no size is given.</summary>
        NoLayoutSaysWhy,

        /// <summary>The compiler reports the error: LayoutAudit adds nothing and gives no size.</summary>
        CompilerError,

        /// <summary>The compiler reports an error on another type, one the audited type holds: LA0010 on the audited
        /// type says why it has no layout, and no size is given.</summary>
        CompilerErrorElsewhere,
    }

    /// <summary>One pathological input: the declarations (in namespace <c>P</c>, with <c>System</c>,
    /// <c>System.Runtime.InteropServices</c>, <c>System.Runtime.CompilerServices</c> and <c>LayoutAudit</c> in scope),
    /// the reflection name of the audited type, and what the user must see: for <see cref="Expected.NoLayoutSaysWhy"/>
    /// the reason, for <see cref="Expected.CompilerError"/> the compiler's error id, for
    /// <see cref="Expected.CompilerErrorElsewhere"/> the reason and the compiler's error id.</summary>
    internal sealed record PathologicalCase(string Name, string Declarations, string Type, Expected Expected, string Detail = "", string Error = "")
    {
        public const string Usings = "using System;\nusing System.Runtime.InteropServices;\nusing System.Runtime.CompilerServices;\nusing LayoutAudit;\n";

        public string Source => Usings + "namespace P\n{\n" + Declarations + "\n}\n";

        public override string ToString() => Name;
    }

    /// <summary>Every pathological type of the robustness list, once each. Shared by the extension tests (generator,
    /// analyzers, fixes) and the command-line tests.</summary>
    internal static class PathologicalCases
    {
        public static readonly IReadOnlyList<PathologicalCase> All = new PathologicalCase[]
        {
            new("cycle, direct", "[AuditLayout] public struct Cyc { public Cyc X; }", "P.Cyc", Expected.CompilerError, "CS0523"),
            new("cycle, mutual", "[AuditLayout] public struct MA { public MB B; } public struct MB { public MA A; }", "P.MA", Expected.CompilerError, "CS0523"),
            new("cycle through a generic", "public struct Gen<T> { public T V; } [AuditLayout] public struct G { public Gen<G> X; }", "P.G", Expected.CompilerError, "CS0523"),
            new("cycle through Nullable<T>", "[AuditLayout] public struct N { public N? X; }", "P.N", Expected.CompilerError, "CS0523"),
            new("generic that expands forever", "public struct Exp<T> { public Exp<Exp<T>> X; } [AuditLayout] public struct UseExp { public Exp<int> E; }", "P.UseExp", Expected.CompilerErrorElsewhere, "ever larger instantiation of itself", "CS0523"),
            new("negative FieldOffset", "[AuditLayout, StructLayout(LayoutKind.Explicit)] public struct NegOff { [FieldOffset(-1)] public int A; }", "P.NegOff", Expected.CompilerError, "CS0591"),
            new("huge FieldOffset", "[AuditLayout, StructLayout(LayoutKind.Explicit)] public struct HugeOff { [FieldOffset(int.MaxValue)] public int A; }", "P.HugeOff", Expected.NoLayoutSaysWhy, "larger than the runtime allows"),
            new("invalid Pack", "[AuditLayout, StructLayout(LayoutKind.Sequential, Pack = 3)] public struct BadPack { public int A; }", "P.BadPack", Expected.CompilerError, "CS0599"),
            new("invalid Size", "[AuditLayout, StructLayout(LayoutKind.Sequential, Size = -4)] public struct BadSize { public int A; }", "P.BadSize", Expected.CompilerError, "CS0599"),
            new("invalid LayoutKind", "[AuditLayout, StructLayout((LayoutKind)7)] public struct BadKind { public int A; }", "P.BadKind", Expected.CompilerError, "CS0591"),
            new("fixed buffer of length zero", "[AuditLayout] public unsafe struct ZeroFixed { public fixed byte B[0]; }", "P.ZeroFixed", Expected.CompilerError, "CS1665"),
            new("fixed buffer of negative length", "[AuditLayout] public unsafe struct NegativeFixed { public fixed byte B[-1]; }", "P.NegativeFixed", Expected.CompilerError, "CS1665"),
            new("huge fixed buffer", "[AuditLayout] public unsafe struct HugeFixed { public fixed long B[int.MaxValue]; }", "P.HugeFixed", Expected.CompilerError, "CS1664"),
            new("InlineArray of length zero", "[AuditLayout, InlineArray(0)] public struct IA0 { private int _x; }", "P.IA0", Expected.CompilerError, "CS9167"),
            new("InlineArray of negative length", "[AuditLayout, InlineArray(-5)] public struct IANeg { private int _x; }", "P.IANeg", Expected.CompilerError, "CS9167"),
            new("huge InlineArray", "[AuditLayout, InlineArray(100000000)] public struct IAHuge { private long _x; }", "P.IAHuge", Expected.NoLayoutSaysWhy, "larger than the runtime allows"),
            new("error type in a field", "[AuditLayout] public struct ErrField { public Missing M; public int X; }", "P.ErrField", Expected.CompilerError, "CS0246"),
            new("error type as the base type", "[AuditLayout] public class ErrBase : MissingBase { public int X; }", "P.ErrBase", Expected.CompilerError, "CS0246"),
            new("ref field outside a ref struct", "[AuditLayout] public struct RefOutside { public ref int R; }", "P.RefOutside", Expected.CompilerError, "CS9059"),
            new("Span<T> field outside a ref struct", "[AuditLayout] public struct SpanField { public Span<int> S; }", "P.SpanField", Expected.CompilerError, "CS8345"),
            new("void field", "[AuditLayout] public struct VoidField { public void V; }", "P.VoidField", Expected.CompilerError, "CS0670"),
            new("dynamic field", "[AuditLayout] public struct DynamicField { public dynamic D; public int X; }", "P.DynamicField", Expected.Layout),
            new("reference overlapping a value", "[AuditLayout, StructLayout(LayoutKind.Explicit)] public struct Overlap { [FieldOffset(0)] public object O; [FieldOffset(0)] public long L; }", "P.Overlap", Expected.NoLayoutSaysWhy, "overlaps the non-reference field 'L' at offset 0"),
            new("5,000 fields", Wide(5000), "P.Wide", Expected.Layout),
            new("a chain of 300 nested structs", Chain(300), "P.Chain0", Expected.Layout),
            new("3,000 audited structs in one file", Many(3000), "P.S2999", Expected.Layout),
            new("a method of 10,000 statements", "[AuditLayout] public struct Big { public long A, B, C, D; }\n" + LongMethod(10_000), "P.Big", Expected.Layout),
            new("a method of 2,400 statements of every kind the rules follow", "[AuditLayout] public struct Big { public long A, B, C, D; }\n" + MixedMethod(2_400), "P.Big", Expected.Layout),
            new("[AuditLayout] on an enum", "[AuditLayout] public enum E { A }", "P.E", Expected.CompilerError, "CS0592"),
            new("[AuditLayout] on an interface", "[AuditLayout] public interface IFace { }", "P.IFace", Expected.CompilerError, "CS0592"),
            new("[AuditLayout] on a delegate", "[AuditLayout] public delegate void D();", "P.D", Expected.CompilerError, "CS0592"),
            new("[AuditLayout] on a static class", "[AuditLayout] public static class Static { }", "P.Static", Expected.NoLayoutSaysWhy, "static class"),
            new("[AuditLayout] on an open generic", "[AuditLayout] public struct Open<T> { public T X; }", "P.Open`1", Expected.NoLayoutSaysWhy, "open generic"),
            new("[AuditLayout] on a file-local type", "[AuditLayout] file struct FileLocal { public byte A; public long B; }", "FileLocal", Expected.Layout),
            new("[AuditLayout] on a type nested in a generic", "public class Outer<T> { [AuditLayout] public struct Inner { public int X; } }", "P.Outer`1+Inner", Expected.NoLayoutSaysWhy, "open generic"),
            new("attribute arguments missing", "[AuditLayout()] public struct NoArgs { public int A; }", "P.NoArgs", Expected.Layout),
            new("attribute duplicated", "[AuditLayout, AuditLayout] public struct Twice { public int A; }", "P.Twice", Expected.Layout, Error: "CS0579"),
            new("attribute argument malformed", "[AuditLayout(CacheLineSize = \"wide\")] public struct Malformed { public int A; }", "P.Malformed", Expected.Layout, Error: "CS0029"),
            new("attribute argument unknown", "[AuditLayout(NoSuchOption = 1)] public struct Unknown { public int A; }", "P.Unknown", Expected.Layout, Error: "CS0246"),
            new("attribute argument positional", "[AuditLayout(64)] public struct Positional { public int A; }", "P.Positional", Expected.Layout, Error: "CS1729"),
        };

        public static PathologicalCase Named(string name) => All.Single(c => c.Name == name);

        private static string Wide(int fields)
        {
            string[] types = { "byte", "long", "short", "int", "bool", "double", "object" };
            var text = new StringBuilder("[AuditLayout] public struct Wide {");
            for (int i = 0; i < fields; i++)
            {
                text.Append(" public ").Append(types[i % types.Length]).Append(" F").Append(i).Append(';');
            }

            return text.Append(" }").ToString();
        }

        private static string Chain(int depth)
        {
            var text = new StringBuilder("[AuditLayout] public struct Chain0 { public Chain1 Inner; public byte B; }\n");
            for (int i = 1; i < depth; i++)
            {
                text.Append("public struct Chain").Append(i).Append(" { public Chain").Append(i + 1).Append(" Inner; public byte B; }\n");
            }

            return text.Append("public struct Chain").Append(depth).Append(" { public int X; }").ToString();
        }

        private static string Many(int count)
        {
            var text = new StringBuilder();
            for (int i = 0; i < count; i++)
            {
                text.Append("[AuditLayout] public struct S").Append(i).Append(i % 2 == 0 ? " { public bool A; public long B; public int C; }\n" : " { public string N; public int I; public bool F; }\n");
            }

            return text.ToString();
        }

        /// <summary>Closures, local functions, loops filling lists, slices, spans of a growing list, long-lived lambdas,
        /// string building, pooled arrays, LINQ and boxes, repeated: each rule that follows values through a member sees
        /// thousands of them in one.</summary>
        private static string MixedMethod(int statements)
        {
            var text = new StringBuilder("public static class Mixed\n{\n    private static System.Collections.Generic.List<object> s_keep = new();\n\n"
                + "    public static long Run(Big big, System.Collections.Generic.List<int> list, byte[] bytes, System.Collections.Generic.IEnumerable<int> seq)\n    {\n        long sum = 0;\n");
            for (int i = 0; i < statements; i++)
            {
                text.Append((i % 12) switch
                {
                    0 => $"        Func<long> f{i} = () => sum + {i}; s_keep.Add(f{i});\n",
                    1 => $"        long L{i}() => sum + {i}; s_keep.Add((Func<long>)L{i});\n",
                    2 => $"        var l{i} = new System.Collections.Generic.List<int>(); for (int j = 0; j < list.Count; j++) l{i}.Add(j); s_keep.Add(l{i});\n",
                    3 => $"        var data{i} = new byte[bytes.Length]; s_keep.Add(data{i}.AsMemory(1, 2));\n",
                    4 => $"        var s{i} = CollectionsMarshal.AsSpan(list); list.Add({i}); sum += s{i}[0];\n",
                    5 => "        System.Threading.Tasks.Task.Run(() => sum += bytes.Length);\n",
                    6 => $"        string t{i} = \"a\" + sum + {i}; s_keep.Add(t{i});\n",
                    7 => $"        s_keep.Add(string.Format(\"{{0}}{{1}}\", sum, {i}));\n",
                    8 => "        foreach (var x in seq) sum += x;\n",
                    9 => $"        var p{i} = System.Buffers.ArrayPool<object>.Shared.Rent(4); System.Buffers.ArrayPool<object>.Shared.Return(p{i});\n",
                    10 => "        s_keep.Add(System.Linq.Enumerable.ToList(System.Linq.Enumerable.Where(seq, x => x > sum)));\n",
                    _ => $"        object o{i} = big; s_keep.Add(o{i});\n",
                });
            }

            return text.Append("        return sum;\n    }\n}").ToString();
        }

        private static string LongMethod(int statements)
        {
            var text = new StringBuilder("public static class Long\n{\n    public static long Run(Big big)\n    {\n        long sum = 0;\n");
            for (int i = 0; i < statements; i++)
            {
                text.Append((i % 3) switch
                {
                    0 => $"        sum += big.A + {i};\n",
                    1 => $"        object boxed{i} = sum;\n",
                    _ => $"        var copy{i} = big; sum += copy{i}.B;\n",
                });
            }

            return text.Append("        return sum;\n    }\n}").ToString();
        }
    }
}
