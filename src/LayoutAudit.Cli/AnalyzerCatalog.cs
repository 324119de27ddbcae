using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LayoutAudit.Cli
{
    /// <summary>
    /// Every C# analyzer the tool ships: found by reflection over the LayoutAudit assemblies beside the tool, so that a
    /// new rule assembly (layout, allocation, retention...) is audited as soon as the tool references it.
    /// </summary>
    public static class AnalyzerCatalog
    {
        private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> s_analyzers = new(Discover);

        public static ImmutableArray<DiagnosticAnalyzer> Analyzers => s_analyzers.Value;

        /// <summary>One entry per rule id (several descriptors may share an id), sorted by id.</summary>
        public static IReadOnlyList<RuleInfo> Rules(IEnumerable<DiagnosticAnalyzer> analyzers) =>
            analyzers.SelectMany(a => a.SupportedDiagnostics)
                .GroupBy(d => d.Id, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => ToRule(g.First()))
                .ToList();

        private static RuleInfo ToRule(DiagnosticDescriptor descriptor) => new(
            descriptor.Id,
            descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture),
            descriptor.Description.ToString(System.Globalization.CultureInfo.InvariantCulture),
            string.IsNullOrEmpty(descriptor.HelpLinkUri) ? FindingSeverities.HelpUriFor(descriptor.Id) : descriptor.HelpLinkUri,
            AuditRunner.ToFindingSeverity(descriptor.DefaultSeverity) ?? FindingSeverity.Info,
            descriptor.Category);

        private static ImmutableArray<DiagnosticAnalyzer> Discover()
        {
            var analyzers = new List<DiagnosticAnalyzer>();
            foreach (string path in Directory.GetFiles(AppContext.BaseDirectory, "LayoutAudit.*.dll").OrderBy(p => p, StringComparer.Ordinal))
            {
                foreach (var type in LoadableTypes(path))
                {
                    if (!type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && IsForCSharp(type) && type.GetConstructor(Type.EmptyTypes) is not null)
                    {
                        analyzers.Add((DiagnosticAnalyzer)Activator.CreateInstance(type)!);
                    }
                }
            }

            return analyzers.OrderBy(a => a.GetType().FullName, StringComparer.Ordinal).ToImmutableArray();
        }

        private static bool IsForCSharp(Type type) =>
            type.GetCustomAttributes<DiagnosticAnalyzerAttribute>(inherit: false).Any(a => a.Languages.Contains(LanguageNames.CSharp));

        private static IEnumerable<Type> LoadableTypes(string path)
        {
            Assembly assembly;
            try
            {
                assembly = AssemblyLoadContext.Default.LoadFromAssemblyName(AssemblyName.GetAssemblyName(path));
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                return Array.Empty<Type>();
            }

            try
            {
                return assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                return e.Types.Where(t => t is not null).Select(t => t!);
            }
        }
    }
}
