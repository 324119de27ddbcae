using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace LayoutAudit.Engine.Tests
{
    /// <summary>Every non-generic struct and class of the shared framework the inspector can measure: the
    /// engine's prediction, read from metadata, must equal the runtime's real layout.</summary>
    public sealed class FrameworkTypeTests
    {
        private readonly ITestOutputHelper _output;

        public FrameworkTypeTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void EveryFrameworkValueTypeMatchesTheRuntime()
        {
            var checks = CheckFramework(t => t.IsValueType);
            _output.WriteLine(Oracle.Summarize(checks));
            Assert.True(checks.Count(c => c.Verdict == Verdict.Agree) >= 1500, Oracle.Summarize(checks));
            Assert.DoesNotContain(checks, c => c.Verdict == Verdict.Differ);
        }

        [Fact]
        public void FrameworkClassesMatchTheRuntime()
        {
            var checks = CheckFramework(t => t.TypeKind == TypeKind.Class && !t.IsStatic);
            _output.WriteLine(Oracle.Summarize(checks));
            Assert.True(checks.Count(c => c.Verdict == Verdict.Agree) >= 500, Oracle.Summarize(checks));
            Assert.DoesNotContain(checks, c => c.Verdict == Verdict.Differ);
        }

        private static List<Check> CheckFramework(Func<INamedTypeSymbol, bool> include)
        {
            var compilation = RuntimeReferences.CreateCompilation("FrameworkProbe", Array.Empty<SyntaxTree>(), MetadataImportOptions.All);
            var engine = new LayoutEngine(compilation);
            var checks = new List<Check>();
            foreach (var reference in RuntimeReferences.All)
            {
                if (compilation.GetAssemblyOrModuleSymbol(reference) is not IAssemblySymbol assemblySymbol)
                {
                    continue;
                }

                Assembly assembly;
                try
                {
                    assembly = Assembly.Load(assemblySymbol.Identity.Name);
                }
                catch (Exception e) when (e is System.IO.FileNotFoundException or System.IO.FileLoadException or BadImageFormatException)
                {
                    continue;
                }

                foreach (var type in AllTypes(assemblySymbol.GlobalNamespace))
                {
                    if (type.Arity == 0 && type.Name != "<Module>" && !IsInsideGeneric(type) && type.TypeKind is TypeKind.Struct or TypeKind.Class && include(type))
                    {
                        checks.Add(Oracle.Verify(engine, type, assembly));
                    }
                }
            }

            return checks;
        }

        private static bool IsInsideGeneric(INamedTypeSymbol type) => type.ContainingType is { } outer && (outer.Arity > 0 || IsInsideGeneric(outer));

        internal static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceOrTypeSymbol container)
        {
            foreach (var member in container.GetMembers())
            {
                if (member is INamespaceSymbol ns)
                {
                    foreach (var type in AllTypes(ns))
                    {
                        yield return type;
                    }
                }
                else if (member is INamedTypeSymbol type)
                {
                    yield return type;
                    foreach (var nested in AllTypes(type))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }
}
