using System;
using System.Collections.Generic;
using System.Linq;
using LayoutAudit.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LayoutAudit.Generator.Tests
{
    /// <summary>
    /// An edit to one type's declaration reuses the models of the types whose layout cannot depend on it (the very
    /// model object of the previous run comes back) and computes the others again, with the layout a fresh compilation
    /// and the runtime give the edited code.
    /// </summary>
    public class PerTypeReuseTests
    {
        private const string Structs = """
            using LayoutAudit;
            namespace Ns
            {
                [AuditLayout] public struct A { public bool X; public long Y; }
                [AuditLayout] public struct B { public byte X; public int Y; }
            }
            """;

        private const string Holder = """
            using LayoutAudit;
            namespace Ns
            {
                [AuditLayout] public struct Outer { public byte Flag; public Inner In; }
                [AuditLayout] public struct Pair { public byte Flag; public System.ValueTuple<Inner, byte> Both; }
                [AuditLayout] public class Derived : Base { public byte Own; }
            }
            """;

        private const string Dependencies = """
            namespace Ns
            {
                public struct Inner { public int I; }
                public class Base { public byte B; }
            }
            """;

        [Fact]
        public void FieldEditInOneStructReusesTheOthersModels()
        {
            var sources = new[] { Structs, Holder, Dependencies };
            var edit = Edit(sources, 0, Structs.Replace("public bool X; public long Y;", "public long X; public long Y;"));

            Assert.Equal(new[] { "Ns.A" }, edit.Recomputed);
            Assert.Equal(new[] { "Ns.B", "Ns.Derived", "Ns.Outer", "Ns.Pair" }, edit.Reused);
            Assert.Equal(new[] { "Ns.A" }, edit.Regenerated);
            edit.AssertAsFreshAndRuntime("Ns.A", 16);
        }

        [Fact]
        public void EditToAHeldStructRecomputesItsHoldersOnly()
        {
            // Inner is held by Outer and, through a type argument, by Pair; Derived and the structs of the first file
            // do not depend on it.
            var sources = new[] { Structs, Holder, Dependencies };
            var edit = Edit(sources, 2, Dependencies.Replace("public int I;", "public int I; public long L;"));

            Assert.Equal(new[] { "Ns.Outer", "Ns.Pair" }, edit.Recomputed);
            Assert.Equal(new[] { "Ns.A", "Ns.B", "Ns.Derived" }, edit.Reused);
            Assert.Equal(new[] { "Ns.Outer", "Ns.Pair" }, edit.Regenerated);
            edit.AssertAsFreshAndRuntime("Ns.Outer", 24);
            edit.AssertAsFreshAndRuntime("Ns.Pair", size: null);
        }

        [Fact]
        public void EditToABaseClassRecomputesTheDerivedClass()
        {
            var sources = new[] { Structs, Holder, Dependencies };
            var edit = Edit(sources, 2, Dependencies.Replace("public byte B;", "public long B; public long C;"));

            Assert.Equal(new[] { "Ns.Derived" }, edit.Recomputed);
            Assert.Equal(new[] { "Ns.Derived" }, edit.Regenerated);
            edit.AssertAsFreshAndRuntime("Ns.Derived", size: null);
        }

        [Fact]
        public void EditToAnotherPartOfAPartialStructRecomputesIt()
        {
            const string first = "using LayoutAudit; namespace Ns { [AuditLayout] public partial struct P { public byte X; } [AuditLayout] public struct Q { public int Y; } }";
            const string second = "namespace Ns { public partial struct P { public byte Z; } }";
            var edit = Edit(new[] { first, second }, 1, second.Replace("public byte Z;", "public long Z;"));

            Assert.Equal(new[] { "Ns.P" }, edit.Recomputed);
            Assert.Equal(new[] { "Ns.Q" }, edit.Reused);
            edit.AssertAsFreshAndRuntime("Ns.P", 16);
        }

        [Fact]
        public void UsingAliasChangeInTheSameFileRecomputes()
        {
            const string audited = "using LayoutAudit; using Number = System.Int64; namespace Ns { [AuditLayout] public struct S { public byte B; public Number N; } }";
            var edit = Edit(new[] { audited, Structs }, 0, audited.Replace("System.Int64", "System.Int16"));

            Assert.Contains("Ns.S", edit.Regenerated);
            edit.AssertAsFreshAndRuntime("Ns.S", 4);
        }

        [Fact]
        public void NewTypeThatShadowsAnAliasRecomputes()
        {
            // Ns.Number, declared in another file, is found before the file's alias: the unchanged file's field now
            // has another type.
            const string audited = "using LayoutAudit; using Number = System.Int64; namespace Ns { [AuditLayout] public struct S { public byte B; public Number N; } }";
            const string other = "namespace Other { public struct Number { public byte One; } }";
            var edit = Edit(new[] { audited, other }, 1, "namespace Ns { public struct Number { public byte One; } }");

            Assert.Equal(new[] { "Ns.S" }, edit.Regenerated);
            edit.AssertAsFreshAndRuntime("Ns.S", 2);
        }

        [Fact]
        public void ConstantChangeInAnotherFileRecomputes()
        {
            const string audited = """
                using System.Runtime.InteropServices;
                using LayoutAudit;
                namespace Ns { [AuditLayout, StructLayout(LayoutKind.Sequential, Size = Sizes.Padded)] public struct S { public byte B; } }
                """;
            const string sizes = "namespace Ns { public static class Sizes { public const int Padded = 16; } }";
            var edit = Edit(new[] { audited, sizes }, 1, sizes.Replace("16", "40"));

            Assert.Equal(new[] { "Ns.S" }, edit.Regenerated);
            edit.AssertAsFreshAndRuntime("Ns.S", 40);
        }

        private static EditRun Edit(string[] sources, int file, string newText)
        {
            var compilation = GeneratorHarness.Compile("Reuse" + Guid.NewGuid().ToString("N"), sources);
            var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
            var first = driver.GetRunResult().Results.Single();
            Assert.Null(first.Exception);

            var oldTree = compilation.SyntaxTrees.ElementAt(file);
            var edited = compilation.ReplaceSyntaxTree(oldTree, CSharpSyntaxTree.ParseText(newText, GeneratorHarness.ParseOptions, oldTree.FilePath));
            var second = driver.RunGenerators(edited).GetRunResult().Results.Single();
            Assert.Null(second.Exception);

            var editedSources = sources.ToArray();
            editedSources[file] = newText;
            return new EditRun(Models(first), Models(second), second, editedSources);
        }

        private static Dictionary<string, AuditedType> Models(GeneratorRunResult run) =>
            run.TrackedSteps[AuditLayoutGenerator.Steps.AuditedTypes]
                .SelectMany(step => step.Outputs)
                .Select(output => (AuditedType)output.Value)
                .ToDictionary(model => model.FullName);

        private sealed class EditRun
        {
            private readonly GeneratorRunResult _second;
            private readonly string[] _editedSources;

            public EditRun(Dictionary<string, AuditedType> before, Dictionary<string, AuditedType> after, GeneratorRunResult second, string[] editedSources)
            {
                _second = second;
                _editedSources = editedSources;
                Assert.Equal(before.Keys.OrderBy(k => k), after.Keys.OrderBy(k => k));

                // The transform returns the previous run's model object when it reuses it; a recomputed model is new.
                Reused = after.Where(pair => ReferenceEquals(pair.Value, before[pair.Key])).Select(pair => pair.Key).OrderBy(k => k, StringComparer.Ordinal).ToArray();
                Recomputed = after.Keys.Except(Reused).OrderBy(k => k, StringComparer.Ordinal).ToArray();
                Regenerated = second.TrackedSteps[AuditLayoutGenerator.Steps.AuditedTypes]
                    .SelectMany(step => step.Outputs)
                    .Where(output => output.Reason == IncrementalStepRunReason.Modified)
                    .Select(output => ((AuditedType)output.Value).FullName)
                    .OrderBy(k => k, StringComparer.Ordinal)
                    .ToArray();

                // Every output but the regenerated types' stays cached.
                var outputs = second.TrackedOutputSteps["SourceOutput"].SelectMany(step => step.Outputs).Select(o => o.Reason).ToList();
                Assert.Equal(Regenerated.Length, outputs.Count(r => r == IncrementalStepRunReason.Modified));
                Assert.Equal(after.Count - Regenerated.Length, outputs.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
            }

            public string[] Reused { get; }

            public string[] Recomputed { get; }

            public string[] Regenerated { get; }

            /// <summary>The edited run's file for the type is the one a fresh run over the edited sources writes, and its
            /// size is the one the runtime gives the edited code (and <paramref name="size"/> when given).</summary>
            public void AssertAsFreshAndRuntime(string reflectionName, int? size)
            {
                var (output, _, fresh) = GeneratorHarness.Run(GeneratorHarness.Compile("Fresh" + Guid.NewGuid().ToString("N"), _editedSources));
                string incremental = GeneratorHarness.GeneratedText(_second, reflectionName);
                Assert.Equal(GeneratorHarness.GeneratedText(fresh, reflectionName), incremental);

                var measured = RuntimeLayoutInspector.Measure(GeneratorHarness.Load(output).GetType(reflectionName, throwOnError: true)!);
                Assert.Contains($"size {measured.Size},", incremental, StringComparison.Ordinal);
                if (size is not null)
                {
                    Assert.Equal(size.Value, measured.Size);
                }
            }
        }
    }
}
