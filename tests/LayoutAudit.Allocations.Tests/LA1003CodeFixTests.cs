using System.Threading.Tasks;
using LayoutAudit.Allocations.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Fix = LayoutAudit.Allocations.Tests.FixVerify<LayoutAudit.Allocations.DelegateAllocationAnalyzer, LayoutAudit.Allocations.CodeFixes.MakeLocalFunctionStaticCodeFixProvider>;

namespace LayoutAudit.Allocations.Tests
{
    public sealed class LA1003CodeFixTests
    {
        private const string Source = """
            [LayoutAudit.AuditAllocations]
            public class C
            {
                static void Run(Action a) => a();
                public void M(int n)
                {
                    void Log() { Console.WriteLine("tick"); }
                    [Obsolete]
                    int Twice(int x) => x * 2;
                    Run({|LA1003:Log|});
                    for (int i = 0; i < n; i++) { Run({|LA1003:Log|}); }
                    Func<int, int> f = {|LA1003:Twice|};
                }
            }
            """;

        private const string Fixed = """
            [LayoutAudit.AuditAllocations]
            public class C
            {
                static void Run(Action a) => a();
                public void M(int n)
                {
                    static void Log() { Console.WriteLine("tick"); }
                    [Obsolete]
                    static int Twice(int x) => x * 2;
                    Run(Log);
                    for (int i = 0; i < n; i++) { Run(Log); }
                    Func<int, int> f = Twice;
                }
            }
            """;

        [Fact]
        public async Task MakesALocalFunctionThatCapturesNothingStatic() => await Fix.VerifyAsync(Source, Fixed);

        [Fact]
        public void TheFixedConversionsAllocateNoDelegate() => FixIl.FixRemoves(IlAllocationKind.Delegate, "C.M", Source, Fixed);

        [Fact]
        public async Task OffersNothingWhereStaticWouldNotCompileOrNotHelp()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    private int _count;
                    static void Run(Action a) => a();
                    void Instance() { }
                    public void M(int n)
                    {
                        void Captures() => Console.WriteLine(n);
                        void UsesThis() => _count++;
                        void CallsCapturing() => Captures();
                        void Plain() { }
                        Run({|LA1003:Captures|});
                        Run({|LA1003:UsesThis|});
                        Run({|LA1003:CallsCapturing|});
                        Run({|LA1003:new Action(Plain)|});
                        Run({|LA1003:Instance|});
                    }
                }
                """;
            await Fix.VerifyAsync(source, source);
        }

        [Fact]
        public async Task OffersNothingBeforeCSharp11WhichDoesNotCacheStaticLocalFunctions()
        {
            const string source = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    static void Run(Action a) => a();
                    public void M() { void Plain() { } Run({|LA1003:Plain|}); }
                }
                """;
            await Fix.VerifyAsync(source, source, LanguageVersion.CSharp10);
        }

        [Fact]
        public void BeforeCSharp11AStaticLocalFunctionStillAllocatesItsDelegate()
        {
            const string asStatic = """
                [LayoutAudit.AuditAllocations]
                public class C
                {
                    static void Run(Action a) => a();
                    public void M() { static void Plain() { } Run(Plain); }
                }
                """;
            Assert.Contains(FixIl.In(asStatic, "C.M", LanguageVersion.CSharp10), a => a.Kind == IlAllocationKind.Delegate);
            Assert.DoesNotContain(FixIl.In(asStatic, "C.M", LanguageVersion.CSharp11), a => a.Kind == IlAllocationKind.Delegate);
        }
    }
}
