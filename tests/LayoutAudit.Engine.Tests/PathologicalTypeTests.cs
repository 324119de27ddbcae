using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using LayoutAudit.Core;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LayoutAudit.Engine.Tests
{
    /// <summary>Types no one should write, and code half-typed: the engine never throws, never hangs, and never
    /// guesses — each gets a layout the runtime would give, or a problem saying why there is none.</summary>
    public sealed class PathologicalTypeTests
    {
        [Theory]
        [InlineData("struct Cyc { public Cyc X; }", "Cyc", LayoutProblemKind.TypeLoadError, "contains itself")]
        [InlineData("struct MA { public MB B; } struct MB { public MA A; }", "MA", LayoutProblemKind.TypeLoadError, "contains itself")]
        [InlineData("struct Gen<T> { public T V; } struct G { public Gen<G> X; }", "G", LayoutProblemKind.TypeLoadError, "contains itself")]
        [InlineData("struct N { public N? X; }", "N", LayoutProblemKind.TypeLoadError, "contains itself")]
        [InlineData("struct Exp<T> { public Exp<Exp<T>> X; } struct UseExp { public Exp<int> E; }", "UseExp", LayoutProblemKind.TypeLoadError, "ever larger instantiation")]
        [InlineData("unsafe struct HugeFixed { public fixed byte B[int.MaxValue]; }", "HugeFixed", LayoutProblemKind.TypeLoadError, "larger than the runtime allows")]
        [InlineData("unsafe struct ZeroFixed { public fixed byte B[0]; }", "ZeroFixed", LayoutProblemKind.NotApplicable, "length must be positive")]
        [InlineData("unsafe struct NegativeFixed { public fixed byte B[-1]; }", "NegativeFixed", LayoutProblemKind.NotApplicable, "length must be positive")]
        [InlineData("[System.Runtime.CompilerServices.InlineArray(0)] struct IA0 { int x; }", "IA0", LayoutProblemKind.TypeLoadError, "length must be positive")]
        [InlineData("[System.Runtime.CompilerServices.InlineArray(-5)] struct IANeg { int x; }", "IANeg", LayoutProblemKind.TypeLoadError, "length must be positive")]
        [InlineData("[System.Runtime.CompilerServices.InlineArray(100000000)] struct IAHuge { long x; }", "IAHuge", LayoutProblemKind.TypeLoadError, "larger than the runtime allows")]
        [InlineData("[System.Runtime.CompilerServices.InlineArray(2)] struct IATwo { int x; int y; }", "IATwo", LayoutProblemKind.TypeLoadError, "exactly one instance field")]
        [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] struct NegOff { [System.Runtime.InteropServices.FieldOffset(-1)] public int A; }", "NegOff", LayoutProblemKind.TypeLoadError, "negative offset")]
        [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] struct HugeOff { [System.Runtime.InteropServices.FieldOffset(int.MaxValue)] public int A; }", "HugeOff", LayoutProblemKind.TypeLoadError, "larger than the runtime allows")]
        [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] struct NoOff { public int A; }", "NoOff", LayoutProblemKind.TypeLoadError, "no [FieldOffset]")]
        [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 3)] struct BadPack { public int A; }", "BadPack", LayoutProblemKind.TypeLoadError, "invalid LayoutKind, Pack or Size")]
        [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = -4)] struct BadSize { public int A; }", "BadSize", LayoutProblemKind.TypeLoadError, "invalid LayoutKind, Pack or Size")]
        [InlineData("[System.Runtime.InteropServices.StructLayout((System.Runtime.InteropServices.LayoutKind)7)] struct BadKind { public int A; }", "BadKind", LayoutProblemKind.TypeLoadError, "invalid LayoutKind, Pack or Size")]
        [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] struct Over { [System.Runtime.InteropServices.FieldOffset(0)] public object A; [System.Runtime.InteropServices.FieldOffset(0)] public long B; }", "Over", LayoutProblemKind.TypeLoadError, "overlaps the non-reference field 'B' at offset 0")]
        [InlineData("struct ErrField { public Missing M; public int X; }", "ErrField", LayoutProblemKind.Unknown, "could not be resolved")]
        [InlineData("class ErrBase : MissingBase { public int X; }", "ErrBase", LayoutProblemKind.Unknown, "could not be resolved")]
        [InlineData("struct RefOutside { public ref int R; }", "RefOutside", LayoutProblemKind.TypeLoadError, "ref field outside a ref struct")]
        [InlineData("struct SpanField { public System.Span<int> S; }", "SpanField", LayoutProblemKind.TypeLoadError, "only a ref struct may hold")]
        [InlineData("struct VoidField { public void V; }", "VoidField", LayoutProblemKind.NotApplicable, "cannot be void")]
        [InlineData("struct WithVector { public System.Numerics.Vector<int> V; }", "WithVector", LayoutProblemKind.Unknown, "SIMD width")]
        [InlineData("class Open<T> { public T X; }", "Open", LayoutProblemKind.NotApplicable, "open generic")]
        [InlineData("static class Static { }", "Static", LayoutProblemKind.NotApplicable, "static class")]
        [InlineData("interface IFace { }", "IFace", LayoutProblemKind.NotApplicable, "interface")]
        [InlineData("class Outer<T> { public struct Inner { public int X; } }", "Outer", LayoutProblemKind.NotApplicable, "open generic")]
        public void EachPathologicalTypeSaysWhyItHasNoLayout(string source, string typeName, LayoutProblemKind kind, string reason)
        {
            var result = Compute(source, typeName);
            Assert.Null(result.Layout);
            Assert.Equal(kind, result.Problem!.Kind);
            Assert.Contains(reason, result.Problem.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("enum E : short { A }", "E")]
        [InlineData("delegate void D();", "D")]
        [InlineData("ref struct RS { public ref int R; public System.Span<int> S; }", "RS")]
        [InlineData("struct DynamicField { public dynamic D; }", "DynamicField")]
        [InlineData("file struct FileLocal { public int X; }", "FileLocal")]
        public void UnusualButValidTypesGetALayout(string source, string typeName)
        {
            var result = Compute(source, typeName);
            Assert.True(result.IsSuccess, result.Problem?.Message);
            Assert.True(result.Layout!.Size > 0);
        }

        [Fact]
        public void ThousandsOfFieldsAndHundredsOfNestedStructsStayFast()
        {
            var source = new StringBuilder("struct Wide {");
            for (int i = 0; i < 5000; i++)
            {
                source.Append(i % 3 == 0 ? $" public byte F{i};" : i % 3 == 1 ? $" public long F{i};" : $" public object F{i};");
            }

            source.Append(" }");
            for (int i = 0; i < 400; i++)
            {
                source.Append($" struct Chain{i} {{ public Chain{i + 1} Inner; public byte B; }}");
            }

            source.Append(" struct Chain400 { public int X; }");
            var stopwatch = Stopwatch.StartNew();
            var wide = Compute(source.ToString(), "Wide");
            var chain = Compute(source.ToString(), "Chain0");
            Assert.Equal(5000, wide.Layout!.Fields.Count);
            Assert.True(chain.IsSuccess);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
        }

        [Fact]
        public void ADoublingStructTreeIsRefusedAsTooLargeWithoutExponentialWork()
        {
            var source = new StringBuilder();
            for (int i = 0; i < 60; i++)
            {
                source.Append($" struct S{i} {{ public S{i + 1} A; public S{i + 1} B; public byte C; }}");
            }

            source.Append(" struct S60 { public long X; }");
            var stopwatch = Stopwatch.StartNew();
            var result = Compute(source.ToString(), "S0");
            Assert.Equal(LayoutProblemKind.TypeLoadError, result.Problem!.Kind);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        }

        [Fact]
        public void HalfTypedCodeNeverThrows()
        {
            const string Source = """
                using System.Runtime.InteropServices;
                [StructLayout(LayoutKind.Explicit, Pack = 4)] public struct A { [FieldOffset(0)] public long X; [FieldOffset(8)] public B Y; public string Z; }
                public struct B { public int I; public A? Back; public fixed int F[4]; public (int, string) T; }
                public class C<T> : D { public T V; public C<C<T>> W; }
                public class D : C<int> { public byte X; }
                """;
            for (int cut = 0; cut <= Source.Length; cut += 3)
            {
                var tree = CSharpSyntaxTree.ParseText(Source.Substring(0, cut));
                var compilation = RuntimeReferences.CreateCompilation("HalfTyped", new[] { tree });
                var engine = new LayoutEngine(compilation);
                foreach (var type in compilation.Assembly.GlobalNamespace.GetTypeMembers())
                {
                    var result = engine.Compute(type);
                    Assert.True(result.Layout is not null ^ result.Problem is not null);
                    Assert.DoesNotContain("could not be computed", result.Problem?.Message ?? "", StringComparison.Ordinal);
                }
            }
        }

        private static LayoutResult Compute(string source, string typeName)
        {
            var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview));
            var compilation = RuntimeReferences.CreateCompilation("Pathological", new[] { tree });
            var type = compilation.Assembly.GlobalNamespace.GetTypeMembers().First(t => t.Name == typeName);
            return new LayoutEngine(compilation).Compute(type);
        }
    }
}
