using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LayoutAudit.Fuzz.Tests
{
    /// <summary>The project's generators, analyzers and code fixes, found as an IDE finds them: in the built
    /// LayoutAudit assemblies, by their export attributes.</summary>
    internal sealed class Extensions
    {
        private static readonly Lazy<Extensions> s_all = new(Load);

        private Extensions(ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<ISourceGenerator> generators, ImmutableArray<CodeFixProvider> fixes, ImmutableArray<string> assemblies)
        {
            Analyzers = analyzers;
            Generators = generators;
            Fixes = fixes;
            Assemblies = assemblies;
        }

        public static Extensions All => s_all.Value;

        public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

        public ImmutableArray<ISourceGenerator> Generators { get; }

        public ImmutableArray<CodeFixProvider> Fixes { get; }

        public ImmutableArray<string> Assemblies { get; }

        private static Extensions Load()
        {
            var analyzers = new List<DiagnosticAnalyzer>();
            var generators = new List<ISourceGenerator>();
            var fixes = new List<CodeFixProvider>();
            var names = new List<string>();
            string folder = Path.GetDirectoryName(typeof(Extensions).Assembly.Location)!;
            foreach (string path in Directory.GetFiles(folder, "LayoutAudit.*.dll").OrderBy(p => p, StringComparer.Ordinal))
            {
                var assembly = Assembly.LoadFrom(path);
                names.Add(assembly.GetName().Name!);
                foreach (var type in assembly.GetTypes().Where(t => !t.IsAbstract))
                {
                    if (type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is { } analyzer && analyzer.Languages.Contains(LanguageNames.CSharp))
                    {
                        analyzers.Add((DiagnosticAnalyzer)Activator.CreateInstance(type)!);
                    }

                    if (type.GetCustomAttribute<GeneratorAttribute>() is not null)
                    {
                        object instance = Activator.CreateInstance(type)!;
                        generators.Add(instance is IIncrementalGenerator incremental ? incremental.AsSourceGenerator() : (ISourceGenerator)instance);
                    }

                    if (type.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
                    {
                        fixes.Add((CodeFixProvider)Activator.CreateInstance(type)!);
                    }
                }
            }

            return new Extensions(analyzers.ToImmutableArray(), generators.ToImmutableArray(), fixes.ToImmutableArray(), names.ToImmutableArray());
        }
    }
}
