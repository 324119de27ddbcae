using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LayoutAudit.Retention.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace LayoutAudit.Retention.Tests
{
    /// <summary>Analyzers run on every keystroke: over broken and half-typed code none of them may throw (AD0001).</summary>
    public sealed class RobustnessTests
    {
        /// <summary>Code that triggers every rule; the tests below cut it short and break it line by line.</summary>
        private const string Sample = """
            using System;
            using System.Buffers;
            using System.Collections.Generic;
            using System.IO;
            using System.Runtime.InteropServices;
            using System.Text;
            using System.Threading.Tasks;

            public class Everything<T>
            {
                private T[] _items = new T[4];
                private int _size;
                private Func<int>? _probe;

                public ReadOnlyMemory<byte> Extract(string path)
                {
                    byte[] log = File.ReadAllBytes(path);
                    int start = log.AsSpan().IndexOf("FATAL"u8);
                    return log.AsMemory(start, 500);
                }

                public int Stale(List<int> list)
                {
                    var span = CollectionsMarshal.AsSpan(list);
                    list.Add(1);
                    return span[0];
                }

                public void Release(string[] names) => ArrayPool<string>.Shared.Return(names);

                public void RemoveAt(int index)
                {
                    _size--;
                    if (index < _size)
                    {
                        Array.Copy(_items, index + 1, _items, index, _size - index);
                    }
                }

                public void Watch(byte[] data) => Task.Run(() => Console.WriteLine(data[0]));

                public string Join(char[] chars)
                {
                    var builder = new StringBuilder();
                    foreach (var c in chars) { builder.Append(c); }
                    _probe = () => chars.Length;
                    return builder.ToString();
                }
            }
            """;

        public static IEnumerable<object[]> BrokenSnippets() => new[]
        {
            "public class C { Memory<byte> M() { var b = new byte[10]; return b.AsMemory(1, ",
            "public class C { System.Memory<byte> M() { var b = File.ReadAllBytes(); return b.AsMemory(Missing, 2); } }",
            "public class C { System.Memory<byte> M() { Missing b = new(); return b.AsMemory(1, 2); } }",
            "public class C { System.Memory<byte> M() { var b = new byte[10]; return b[1..].AsMemory(..); } }",
            "public class C { void M(System.Collections.Generic.List<int> l) { var s = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(); l.Add(); s[0] = ; } }",
            "public class C { void M(System.Collections.Generic.Dictionary<string, int> d) { ref int r = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(d, , out ); d.Add(\"x\"); r++; } }",
            "public class C { void M(string[] a) => System.Buffers.ArrayPool<>.Shared.Return(a); }",
            "public class C { void M(Missing[] a) => System.Buffers.ArrayPool<Missing>.Shared.Return(a, clearArray: ); }",
            "public class P : System.Buffers.ArrayPool<string> { public override void Return(string[] a, bool c) { } }",
            "public class C { object[] _a; int _n; void R(int i) { _n--; System.Array.Copy(_a, i + 1, _a, i, ); } }",
            "public class C { object[] _a; int _n; void R(int i) { for (int j = i; j < _n; j++) _a[j] = _a[j + ]; _n-- } }",
            "public class C { object[] _a; int _n; void R(int i) { _a.AsSpan(i + 1).CopyTo(); _n -= ; } }",
            "public class C { System.Action _a; void M(int[] d) { _a = () => d[; } }",
            "public class C { void M(int[] d) => System.Threading.Tasks.Task.Run(() => { d[0] }); }",
            "public class C { void M(int[] d) => new System.Threading.Thread(() => d.Length).Start(); }",
            "public class C { object M(int[] items) { var l = new System.Collections.Generic.List<int>(); foreach (var x in items) l.Add(; return l; } }",
            "public class C { object M(int n) { var l = new System.Collections.Generic.List<int>(); for (int i = 0; i < ; i++) l.Add(i); return l; } }",
            "public class C { object M(Missing items) { var l = new System.Collections.Generic.List<int>(); foreach (var x in items) l.Add(x); return l; } }",
            "public class C { object M(int[] items) { var l = new System.Text.StringBuilder(); for (int i = 0; i < items.Length; i++) l.Append('x', ); return l; } }",
            "public class C { object M() { var l = new System.Collections.Generic.List<int>(); for (;;) l.Add(1); } }",
            "public class C { object M(int[] a) { goto x; x: foreach (var i in a) { } return a.AsMemory(1); } }",
            "public class C { System.Memory<byte> M() { var b = new byte[10]; try { return b.AsMemory(1, 2); } catch when (b.AsMemory(1) is var m) { return m; } finally { } } }",
            "public class C { System.Collections.Generic.IEnumerable<System.ReadOnlyMemory<char>> M(string s) { yield return s.AsMemory(1; } }",
            "public class C { async System.Threading.Tasks.Task<System.Memory<byte>> M() { var b = await ; return b.AsMemory(1, 2); } }",
            "public class C { void M() { ref var x = ref ; x++; var l = new System.Collections.Generic.List<int>(); } }",
            "public class C { C() : this( { } }",
            "public record R(System.Memory<byte> M) { public R() : this(new byte[9].AsMemory(1)) { } }",
        }.Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(BrokenSnippets))]
        public async Task NoAnalyzerThrowsOnBrokenCode(string source)
        {
            await Diagnostics.RunAsync(Diagnostics.AllRules, new[] { source }, requireValidCode: false);
        }

        /// <summary>The sample cut short at many points, as if still being typed, and with single lines deleted.</summary>
        private static List<string> HalfTyped()
        {
            var inputs = new List<string>();
            for (int end = 1; end < Sample.Length; end += 23)
            {
                inputs.Add(Sample.Substring(0, end));
            }

            var lines = Sample.Split('\n');
            for (int skip = 0; skip < lines.Length; skip++)
            {
                inputs.Add(string.Join("\n", lines.Where((_, i) => i != skip)));
            }

            return inputs;
        }

        [Fact]
        public async Task NoCodeFixThrowsOnHalfTypedCode()
        {
            // Fixes are computed in the IDE on whatever the editor holds: each one offered on each half-typed input is applied.
            var fixes = new CodeFixProvider[]
            {
                new CopySliceCodeFixProvider(), new ClearArrayCodeFixProvider(), new ClearVacatedSlotCodeFixProvider(), new CaptureLengthCodeFixProvider(), new PassCapacityCodeFixProvider(),
            };
            var appliedFor = new HashSet<string>();
            foreach (string input in HalfTyped())
            {
                using var workspace = new AdhocWorkspace();
                var project = workspace.AddProject(ProjectInfo.Create(
                    ProjectId.CreateNewId(),
                    VersionStamp.Default,
                    "HalfTyped",
                    "HalfTyped",
                    LanguageNames.CSharp,
                    compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                    parseOptions: new CSharpParseOptions(LanguageVersion.Preview),
                    metadataReferences: CompiledSample.References));
                var document = workspace.AddDocument(project.Id, "Input.cs", SourceText.From(input));
                var compilation = await document.Project.GetCompilationAsync();
                var diagnostics = await compilation!.WithAnalyzers(Diagnostics.AllRules).GetAnalyzerDiagnosticsAsync();
                foreach (var diagnostic in diagnostics)
                {
                    foreach (var fix in fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
                    {
                        var actions = new List<CodeAction>();
                        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
                        foreach (var action in actions)
                        {
                            var operations = await action.GetOperationsAsync(CancellationToken.None);
                            Assert.Contains(operations, operation => operation is ApplyChangesOperation);
                            appliedFor.Add(diagnostic.Id);
                        }
                    }
                }
            }

            // Every fix ran at least once, so the loop above checked something.
            Assert.Equal(new[] { "LA2001", "LA2003", "LA2004", "LA2005", "LA2006" }, appliedFor.OrderBy(id => id));
        }

        [Fact]
        public async Task NoAnalyzerThrowsOnHalfTypedCode()
        {
            var inputs = HalfTyped();
            foreach (string input in inputs)
            {
                await Diagnostics.RunAsync(Diagnostics.AllRules, new[] { input }, requireValidCode: false);
            }

            Assert.True(inputs.Count > 100);
        }

        [Fact]
        public async Task TheSampleTriggersEveryRule()
        {
            // Guards the half-typed test: cutting up a sample that reports nothing would prove little.
            var diagnostics = await Diagnostics.RunAsync(Diagnostics.AllRules, new[] { Sample }, requireValidCode: true);
            var ids = diagnostics.Select(d => d.Id).Distinct().OrderBy(id => id).ToList();
            Assert.Equal(new[] { "LA2001", "LA2002", "LA2003", "LA2004", "LA2005", "LA2006" }, ids);
        }

        [Fact]
        public async Task TheHarnessFailsOnAnAnalyzerException()
        {
            // The checks above can fail: an analyzer that throws is caught and reported.
            await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() =>
                Diagnostics.RunAsync(ImmutableArray.Create<DiagnosticAnalyzer>(new Throwing()), new[] { "public class C { }" }, requireValidCode: false));
        }

        [Fact]
        public async Task EveryRuleStaysQuietWithoutTheFrameworkTypesItNeeds()
        {
            // A compilation without references (no CollectionsMarshal, no ArrayPool, no Memory<T>): nothing to resolve, nothing to say.
            var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("Bare", new[] { Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(Sample) });
            var diagnostics = await compilation.WithAnalyzers(Diagnostics.AllRules).GetAnalyzerDiagnosticsAsync();
            Assert.Empty(diagnostics);
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
    }
}
