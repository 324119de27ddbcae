using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = LayoutAudit.Analyzers.Tests.AnalyzerVerifier<LayoutAudit.Analyzers.LargeStructAnalyzer>;

namespace LayoutAudit.Analyzers.Tests
{
    public sealed class LA0004LargeStructTests
    {
        private const string Structs = """

            public struct Big { public long A, B, C; public void Mutate() => A++; public readonly long Sum() => A + B + C; public long Total => A + B + C; }
            public readonly struct Frozen { public readonly long A, B, C; public long Sum() => A + B + C; }
            public struct Small { public long A, B; public void Mutate() => A++; }
            """;

        /// <summary>The runtime's size of <paramref name="name"/>, as the messages must state it.</summary>
        private static int SizeOf(string name) => Runtime.Measure(Structs, name).Size;

        private static DiagnosticResult Expect(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, int location, params object[] arguments) =>
            Verify.Diagnostic(descriptor).WithLocation(location).WithArguments(arguments);

        [Fact]
        public async Task TheThresholdSitsBetweenTheTestStructs()
        {
            // Small is exactly the 16-byte guideline, Big is over it: the silent cases below rely on this.
            Assert.Equal(16, SizeOf("Small"));
            Assert.True(SizeOf("Big") > 16);
            await Task.CompletedTask;
        }

        [Fact]
        public async Task ReportsParametersAndReturnsByValueInAuditedMethods()
        {
            const string source = """
                public class Service
                {
                    [LayoutAudit.AuditAllocations]
                    public Big {|#1:Combine|}(Big {|#0:left|}, in Big right, Small small) => left;

                    public Big NotAudited(Big value) => value;
                }
                """ + Structs;
            int size = SizeOf("Big");
            await Verify.VerifyAsync(
                source,
                Expect(LargeStructAnalyzer.ParameterByValue, 0, "left", "Big", size, 16),
                Expect(LargeStructAnalyzer.ReturnByValue, 1, "Combine", "Big", size, 16));
        }

        [Fact]
        public async Task AuditsATypeAnAssemblyOrEveryFileThroughEditorConfig()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class Audited
                {
                    public void Take(Big {|#0:value|}) { }
                }
                """ + Structs;
            await Verify.VerifyAsync(source, Expect(LargeStructAnalyzer.ParameterByValue, 0, "value", "Big", SizeOf("Big"), 16));

            const string wholeAssembly = "[assembly: LayoutAudit.AuditAllocations] public class Anywhere { public void Take(Big {|#0:value|}) { } }" + Structs;
            await Verify.VerifyAsync(wholeAssembly, Expect(LargeStructAnalyzer.ParameterByValue, 0, "value", "Big", SizeOf("Big"), 16));

            const string unattributed = "public class Plain { public void Take(Big {|#0:value|}) { } }" + Structs;
            await Verify.VerifyAsync(unattributed);
            await Verify.VerifyAsync(unattributed, "layout_audit.allocation_scope = all", Expect(LargeStructAnalyzer.ParameterByValue, 0, "value", "Big", SizeOf("Big"), 16));
        }

        [Fact]
        public async Task TheThresholdIsConfigurable()
        {
            const string source = "public class Plain { public void Take(Small {|#0:small|}, Big big) { } }" + Structs;
            await Verify.VerifyAsync(source, "layout_audit.allocation_scope = all\nlayout_audit.LA0004.threshold = 100");
            await Verify.VerifyAsync(
                source.Replace("Big big", "Big {|#1:big|}"),
                "layout_audit.allocation_scope = all\nlayout_audit.LA0004.threshold = 8",
                Expect(LargeStructAnalyzer.ParameterByValue, 0, "small", "Small", SizeOf("Small"), 8),
                Expect(LargeStructAnalyzer.ParameterByValue, 1, "big", "Big", SizeOf("Big"), 8));
        }

        [Fact]
        public async Task ReportsListsDictionariesAndForEachCopies()
        {
            const string source = """
                using System.Collections.Generic;

                [LayoutAudit.AuditAllocations]
                public class Store
                {
                    public long Sum()
                    {
                        var list = {|#0:new List<Big>()|};
                        Dictionary<int, Big> byId = {|#1:new()|};
                        var keys = new Dictionary<Big, int>();
                        var small = new List<Small>();
                        long total = 0;
                        foreach (var {|#2:item|} in list)
                        {
                            total += item.A;
                        }

                        foreach (ref readonly var item in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list))
                        {
                            total += item.A;
                        }

                        return total + byId.Count + keys.Count + small.Count;
                    }
                }
                """ + Structs;
            int size = SizeOf("Big");
            await Verify.VerifyAsync(
                source,
                Expect(LargeStructAnalyzer.CollectionElement, 0, "List<Big>", "Big", size, 16),
                Expect(LargeStructAnalyzer.CollectionElement, 1, "Dictionary<int, Big>", "Big", size, 16),
                Expect(LargeStructAnalyzer.ForEachCopy, 2, "Big", size, 16, "item"));
        }

        [Fact]
        public async Task ReportsHiddenDefensiveCopies()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class Holder
                {
                    private readonly Big _big;
                    private readonly Frozen _frozen;
                    private readonly Small _small;
                    private Big _mutable;

                    public Holder()
                    {
                        _big.Mutate();
                    }

                    public long Use(in Big other)
                    {
                        {|#0:_big.Mutate()|};
                        {|#1:other.Mutate()|};
                        _mutable.Mutate();
                        _small.Mutate();
                        return _big.Sum() + {|#2:_big.Total|} + _frozen.Sum();
                    }
                }
                """ + Structs;
            int size = SizeOf("Big");
            await Verify.VerifyAsync(
                source,
                Expect(LargeStructAnalyzer.DefensiveCopy, 0, "Mutate", "_big", "Big", size, 16),
                Expect(LargeStructAnalyzer.DefensiveCopy, 1, "Mutate", "other", "Big", size, 16),
                Expect(LargeStructAnalyzer.DefensiveCopy, 2, "Total", "_big", "Big", size, 16));
        }

        [Fact]
        public async Task StaysSilentWhereTheSignatureIsNotTheAuthorsOrCannotTakeIn()
        {
            const string source = """
                using System.Collections.Generic;
                using System.Threading.Tasks;

                public interface IHandler { void Handle(Big value); }

                public abstract class Base { public abstract void Run(Big value); }

                [LayoutAudit.AuditAllocations]
                public class Handler : Base, IHandler
                {
                    public void Handle(Big value) { }
                    public override void Run(Big value) { }
                    public async Task<long> LaterAsync(Big value) { await Task.Yield(); return value.A; }
                    public IEnumerable<long> Iterate(Big value) { yield return value.A; }
                    public void ByRef(ref Big value, in Big other, out Big result) => result = value;
                    public ref readonly Big Pick(in Big value) => ref value;
                }
                """ + Structs;
            await Verify.VerifyAsync(source);
        }
    }
}
