using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace LayoutAudit.Allocations.Tests
{
    /// <summary>Analyzers run on every keystroke: over broken and half-typed code no allocation rule may throw (AD0001).
    /// <see cref="Findings.RunAsync"/> fails on any analyzer exception.</summary>
    public sealed class RobustnessTests
    {
        private static readonly Dictionary<string, string> s_everywhere = new() { ["layout_audit.allocation_scope"] = "all" };

        /// <summary>Code that exercises every rule; the test below cuts it short and deletes lines.</summary>
        private const string Sample = """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;

            [LayoutAudit.AuditAllocations]
            public class Uses
            {
                private int _field;
                public Uses(int p) { Task.Run(() => Console.WriteLine(p)); }
                public async Task<string> Run(IList<int> items, int n, object o)
                {
                    object boxed = n;
                    Console.WriteLine("{0} {1}", n, boxed);
                    var query = from x in items where x > n select new { X = x, Text = "x" + x };
                    foreach (var item in items) { Func<int> f = () => item + _field; Console.WriteLine(f() + item.ToString()); }
                    int[] array = [n, 2];
                    IEnumerable<int> wrapped = [n];
                    for (int i = 0; i < n; i++) { var list = new List<int>(i); list.Add(i); }
                    void Local() => Console.WriteLine(n);
                    Action a = Local;
                    await Task.Yield();
                    return $"{query.Count()} {array.Length} {wrapped.Sum()}";
                }
                public IEnumerable<int> Numbers(int n) { for (int i = 0; i < n; i++) { yield return i; } }
                static void Ints(params int[] values) { }
                public object Once() { Ints(1, 2); return new object(); }
            }
            """;

        public static IEnumerable<object[]> BrokenSnippets() => new[]
        {
            "[LayoutAudit.AuditAllocations] public class C { void M() { object o = ; } }",
            "[LayoutAudit.AuditAllocations] public class C { void M() { Console.WriteLine(\"{0}\", Missing); } }",
            "[LayoutAudit.AuditAllocations] public class C { void M() { Func<int> f = () => ; } }",
            "[LayoutAudit.AuditAllocations] public class C { void M() { foreach (var in ) { } } }",
            "[LayoutAudit.AuditAllocations] public class C { void M(Unknown u) { foreach (var x in u) { object o = x; } } }",
            "[LayoutAudit.AuditAllocations] public class C { void M() { var q = from x in where select; } }",
            "[LayoutAudit.AuditAllocations] public class C { void M() { int[] a = [1, ..]; Missing m = [1]; } }",
            "[LayoutAudit.AuditAllocations] public class C { async void M() { await ; } IEnumerable<int> N() { yield return ; } }",
            "[LayoutAudit.AuditAllocations] public class C { void M() { string s = \"a\" + ; s += ; var t = $\"{\"; } }",
            "[LayoutAudit.AuditAllocations] public class C { void M() { new Missing(); new int[]; new { A = }; } }",
            "[LayoutAudit.AuditAllocations] public class C { void M(int p) { void L() => p; Action a = L; Action b = Undefined; } }",
            "[LayoutAudit.AuditAllocations] public class C { void M() { for (;;) { var x = new List<>(); } while () { } } }",
            "[LayoutAudit.AuditAllocations] public class C : Missing { C(int p) : base(() => p) { } }",
            "[LayoutAudit.AuditAllocations] public struct S { public override string ToString() => base.ToString(); void M() { GetType(); object o = this; } }",
            "[LayoutAudit.AuditAllocations] public class C { void M<T>(T t) where T : { object o = t; t.ToString(); } }",
            "[assembly: LayoutAudit.AuditAllocations(1)] public class C { object M(int i) => i; }",
            "[LayoutAudit.AuditAllocations] public record R(int A) { object M() => A; }",
            "[LayoutAudit.AuditAllocations] public class C { object P => ; object this[int i] { get => i; } event Action E { add { } remove { } } }",
            "[LayoutAudit.AuditAllocations] public class C { void M(params int[] a) { M(1, \"x\"); M(default); } }",
        }.Select(s => new object[] { "using System; using System.Collections.Generic; using System.Linq;\n" + s });

        [Theory]
        [MemberData(nameof(BrokenSnippets))]
        public async Task NoRuleThrowsOnBrokenCode(string source)
        {
            await Findings.RunAsync(IlProof.AllAnalyzers(), source, requireValidCode: false);
            await Findings.RunAsync(IlProof.AllAnalyzers(), source, requireValidCode: false, s_everywhere);
        }

        [Fact]
        public async Task NoRuleThrowsOnHalfTypedCode()
        {
            // The sample cut short at many points, as if still being typed, and with single lines deleted.
            var inputs = new List<string>();
            for (int end = 1; end < Sample.Length; end += 29)
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
                await Findings.RunAsync(IlProof.AllAnalyzers(), input, requireValidCode: false, s_everywhere);
            }

            // The complete sample is valid and every rule finds something in it, so every rule's code ran over the cut versions.
            var complete = await Findings.RunAsync(IlProof.AllAnalyzers(), Sample, requireValidCode: true);
            Assert.Equal(IlProof.AllAnalyzers().Length, complete.Select(d => d.Id).Distinct().Count());
        }
    }
}
