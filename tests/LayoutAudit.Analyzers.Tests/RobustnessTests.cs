using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace LayoutAudit.Analyzers.Tests
{
    /// <summary>Analyzers run on every keystroke: over broken and half-typed code none of them may throw (AD0001).</summary>
    public sealed class RobustnessTests
    {
        private static readonly ImmutableArray<DiagnosticAnalyzer> s_all = ImmutableArray.Create<DiagnosticAnalyzer>(
            new PaddingWasteAnalyzer(), new LayoutBudgetAnalyzer(), new CacheLineAnalyzer(),
            new LargeStructAnalyzer(), new StructKeyEqualityAnalyzer(), new EmptyStructSetAnalyzer());

        /// <summary>Every option turned on, so that every code path of every rule runs.</summary>
        private static readonly AnalyzerOptions s_everythingOn = new(
            ImmutableArray<AdditionalText>.Empty,
            new Options(new Dictionary<string, string>
            {
                [AnalyzerSettings.AllSequentialStructsKey] = "true",
                [AnalyzerSettings.AllocationScopeKey] = "all",
                [AnalyzerSettings.LargeStructThresholdKey] = "1",
                [AnalyzerSettings.CacheLineSizeKey] = "8",
            }));

        /// <summary>Code that exercises every rule; the tests below break it in many places.</summary>
        private const string Sample = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Runtime.InteropServices;

            [LayoutAudit.AuditLayout(PaddingBudget = 0, MaxSize = 8, CacheLineSize = 16)]
            public partial struct Shrink
            {
                #region fields
                public byte A; // note
                public long B;
                #endregion
                [MarshalAs(UnmanagedType.U1)] public bool C;
                [LayoutAudit.WrittenBy("one")] public long D;
                [LayoutAudit.WrittenBy("two")] public long E;
                public System.Guid G;
            }

            public partial struct Shrink { public byte F; public int Touch() => A + F; }

            public record struct Positional(byte A, long B, byte C);

            [StructLayout(LayoutKind.Explicit)] public struct Union { [FieldOffset(0)] public byte A; [FieldOffset(8)] public long B; }

            public struct Empty { }

            public static class Native { [DllImport("x")] public static extern void Send(ref Shrink value); }

            [LayoutAudit.AuditAllocations]
            public class Uses
            {
                private readonly Shrink _shrink;

                public Shrink Run(Shrink value, in Shrink other)
                {
                    var list = new List<Shrink> { value };
                    var map = new Dictionary<Shrink, Empty>();
                    var set = list.ToHashSet();
                    foreach (var item in list) { map[item] = default; }
                    _shrink.Touch();
                    other.Touch();
                    return list.GroupBy(x => x).First().Key;
                }
            }
            """;

        public static IEnumerable<object[]> BrokenSnippets() => new[]
        {
            "[LayoutAudit.AuditLayout] public struct",
            "[LayoutAudit.AuditLayout] public struct S { public byte A; public long",
            "[LayoutAudit.AuditLayout] public struct S { public Missing A; public long B; public byte C; }",
            "[LayoutAudit.AuditLayout] public struct S { public S Self; public byte A; }",
            "[LayoutAudit.AuditLayout] public struct A { public B Inner; } public struct B { public A Outer; }",
            "[LayoutAudit.AuditLayout] public enum E { X }",
            "[LayoutAudit.AuditLayout] public interface I { }",
            "[LayoutAudit.AuditLayout] public delegate void D();",
            "[LayoutAudit.AuditLayout] public static class C { }",
            "[LayoutAudit.AuditLayout(PaddingBudget = \"x\", MaxSize = , CacheLineSize = 0)] public struct S { public byte A; public long B; }",
            "[LayoutAudit.AuditLayout(CacheLineSize = -64)] public struct S { public byte A; public long B; }",
            "public class C { [LayoutAudit.WrittenBy()] public long A; [LayoutAudit.WrittenBy(null)] public long B; [LayoutAudit.WrittenBy(1)] public long C2; }",
            "[LayoutAudit.AuditLayout] public unsafe struct S { public fixed int Buffer[-1]; public byte A; public long B; }",
            "[LayoutAudit.AuditLayout] [System.Runtime.InteropServices.StructLayout((System.Runtime.InteropServices.LayoutKind)7, Pack = 3, Size = -1)] public struct S { public byte A; public long B; }",
            "[LayoutAudit.AuditLayout] public struct S { [System.Runtime.InteropServices.FieldOffset(-8)] public long A; public object B; }",
            "[System.Runtime.CompilerServices.InlineArray(0)] [LayoutAudit.AuditLayout] public struct S { public byte A; public long B; }",
            "[LayoutAudit.AuditLayout] public ref struct S { public ref byte A; public long B; public System.Span<int> C; }",
            "[LayoutAudit.AuditLayout] public struct S { public void V; public dynamic D; }",
            "[LayoutAudit.AuditLayout] public struct G<T> { public T A; public G<G<T>> B; }",
            "[LayoutAudit.AuditLayout] public class Derived : Missing { public byte A; }",
            "public class C { void M() { var d = new System.Collections.Generic.Dictionary<",
            "public class C { void M() { var d = new System.Collections.Generic.Dictionary<Missing, Other>(); foreach (var x in d) { } } }",
            "public class C { void M() { foreach (var in ) { } } }",
            "public class C { void M() { var q = new int[0].ToDictionary(x => ); } }",
            "public class C { public Missing Run(Missing a, in Unknown b) => a; readonly Missing _m; void N() => _m.Call(); }",
            "public struct S(byte a, long b) { public byte C; } [LayoutAudit.AuditLayout] public partial struct S2 { } public partial struct S2 { public byte",
            "public record struct R(int A, int",
            "public static class N { [System.Runtime.InteropServices.DllImport(\"x\")] public static extern void F(ref ",
        }.Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(BrokenSnippets))]
        public async Task NoAnalyzerThrowsOnBrokenCode(string source)
        {
            await Diagnostics.RunAsync(s_all, new[] { source }, requireValidCode: false, s_everythingOn);
            await Diagnostics.RunAsync(s_all, new[] { source }, requireValidCode: false);
        }

        [Fact]
        public async Task NoAnalyzerThrowsOnHalfTypedCode()
        {
            // The sample cut short at many points, as if still being typed, and with single lines deleted.
            var inputs = new List<string>();
            for (int end = 1; end < Sample.Length; end += 37)
            {
                inputs.Add(Sample.Substring(0, end));
            }

            var lines = Sample.Split('\n');
            for (int skip = 0; skip < lines.Length; skip++)
            {
                inputs.Add(string.Join("\n", lines.Where((_, i) => i != skip)));
            }

            foreach (string input in inputs)
            {
                await Diagnostics.RunAsync(s_all, new[] { input }, requireValidCode: false, s_everythingOn);
            }

            Assert.True(inputs.Count > 50);
        }

        [Fact]
        public async Task TheSampleTriggersEveryRule()
        {
            // Guards the half-typed test: cutting a sample that reports nothing would prove little.
            var diagnostics = await Diagnostics.RunAsync(s_all, new[] { Sample }, requireValidCode: false, s_everythingOn);
            var ids = diagnostics.Select(d => d.Id).Distinct().OrderBy(id => id).ToList();
            Assert.Equal(new[] { "LA0001", "LA0002", "LA0003", "LA0004", "LA0005", "LA0006" }, ids);
        }

        [Fact]
        public async Task TheHarnessFailsOnAnAnalyzerException()
        {
            // The checks above can fail: an analyzer that throws is caught and reported.
            await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() =>
                Diagnostics.RunAsync(ImmutableArray.Create<DiagnosticAnalyzer>(new Throwing()), new[] { "public struct S { }" }, requireValidCode: false));
        }

        // A test double, never shipped: the rules for shipped analyzers do not apply to it.
#pragma warning disable RS1036, RS1038, RS1041, RS2008
        [DiagnosticAnalyzer(LanguageNames.CSharp)]
        private sealed class Throwing : DiagnosticAnalyzer
        {
            private static readonly DiagnosticDescriptor s_rule = new("TEST0001", "t", "t", "t", DiagnosticSeverity.Warning, isEnabledByDefault: true);

            public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(s_rule);

            public override void Initialize(AnalysisContext context)
            {
                context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
                context.EnableConcurrentExecution();
                context.RegisterSymbolAction(_ => throw new System.InvalidOperationException("boom"), SymbolKind.NamedType);
            }
        }
#pragma warning restore RS1036, RS1038, RS1041, RS2008

        private sealed class Options : AnalyzerConfigOptionsProvider
        {
            private readonly Values _values;

            public Options(Dictionary<string, string> values) => _values = new Values(values);

            public override AnalyzerConfigOptions GlobalOptions => _values;

            public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _values;

            public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _values;

            private sealed class Values : AnalyzerConfigOptions
            {
                private readonly Dictionary<string, string> _values;

                public Values(Dictionary<string, string> values) => _values = values;

                public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
            }
        }
    }
}
