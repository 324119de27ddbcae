using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using LayoutAudit.Core;
using LayoutAudit.Runtime;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Engine.Tests
{
    internal enum Verdict
    {
        /// <summary>Prediction and measurement are identical (or both say the type cannot load).</summary>
        Agree,

        /// <summary>They differ: a defect of the engine.</summary>
        Differ,

        /// <summary>No comparison was possible; the reason says why.</summary>
        Skipped,
    }

    internal sealed record Check(string TypeName, Verdict Verdict, string Detail);

    /// <summary>Compares the engine's prediction for a symbol with the runtime's real layout of the same type.</summary>
    internal static class Oracle
    {
        public static Check Verify(LayoutEngine engine, INamedTypeSymbol symbol, Assembly assembly)
        {
            string name = TypeNames.Reflection(symbol);
            var prediction = engine.Compute(symbol);
            Type? type;
            try
            {
                type = FindType(assembly, name);
                _ = type?.TypeHandle;
            }
            catch (TypeLoadException e)
            {
                return prediction.Problem?.Kind == LayoutProblemKind.TypeLoadError
                    ? new Check(name, Verdict.Agree, "both refuse the type: " + prediction.Problem.Message)
                    : new Check(name, Verdict.Differ, $"the runtime refuses the type ({e.Message}) but the engine predicts {Describe(prediction)}");
            }

            if (type is null)
            {
                return new Check(name, Verdict.Skipped, "not found at run time");
            }

            if (!RuntimeLayoutInspector.TryMeasure(type, out var measured, out string? whyNot) || measured is null)
            {
                bool refused = whyNot?.Contains("TypeLoadException", StringComparison.Ordinal) == true;
                if (refused)
                {
                    return prediction.Problem?.Kind == LayoutProblemKind.TypeLoadError
                        ? new Check(name, Verdict.Agree, "both refuse the type")
                        : new Check(name, Verdict.Differ, $"the runtime refuses the type ({whyNot}) but the engine predicts {Describe(prediction)}");
                }

                return new Check(name, Verdict.Skipped, "inspector: " + whyNot);
            }

            if (prediction.Layout is not { } layout)
            {
                return prediction.Problem!.Kind == LayoutProblemKind.TypeLoadError
                    ? new Check(name, Verdict.Differ, $"the engine predicts a load failure ({prediction.Problem.Message}) but the runtime loads it, size {measured.Size}")
                    : new Check(name, Verdict.Skipped, "engine: " + prediction.Problem.Message);
            }

            var differences = LayoutComparer.Compare(layout, measured);
            return differences.Count == 0
                ? new Check(name, Verdict.Agree, $"size {layout.Size}")
                : new Check(name, Verdict.Differ, string.Join("; ", differences));
        }

        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Assembly, Dictionary<string, Type>> s_typesByName = new();

        /// <summary>By reflection name; names that <c>Assembly.GetType</c> cannot parse (compiler-generated ones
        /// such as <c>__StaticArrayInitTypeSize=12</c>) are looked up among the loadable types.</summary>
        private static Type? FindType(Assembly assembly, string name)
        {
            try
            {
                return assembly.GetType(name, throwOnError: true);
            }
            catch (ArgumentException)
            {
                var types = s_typesByName.GetValue(assembly, a =>
                {
                    Type?[] loaded;
                    try
                    {
                        loaded = a.GetTypes();
                    }
                    catch (ReflectionTypeLoadException e)
                    {
                        loaded = e.Types;
                    }

                    return loaded.Where(t => t is not null).GroupBy(t => t!.ToString()).ToDictionary(g => g.Key, g => g.First()!);
                });
                return types.TryGetValue(name, out var type) ? type : null;
            }
        }

        public static string Summarize(IReadOnlyCollection<Check> checks, int maxListed = 60)
        {
            var lines = new List<string>
            {
                $"{checks.Count(c => c.Verdict == Verdict.Agree)} agree, {checks.Count(c => c.Verdict == Verdict.Differ)} differ, {checks.Count(c => c.Verdict == Verdict.Skipped)} skipped",
            };
            lines.AddRange(checks.Where(c => c.Verdict == Verdict.Skipped)
                .GroupBy(c => Bucket(c.Detail))
                .OrderByDescending(g => g.Count())
                .Select(g => $"  skipped {g.Count(),5}: {g.Key} (e.g. {g.First().TypeName})"));
            lines.AddRange(checks.Where(c => c.Verdict == Verdict.Differ).Take(maxListed).Select(c => $"  DIFFER {c.TypeName}: {c.Detail}"));
            return string.Join(Environment.NewLine, lines);
        }

        private static string Bucket(string detail)
        {
            int quote = detail.IndexOf('\'');
            return quote > 0 ? detail.Substring(0, quote).TrimEnd() : detail;
        }

        private static string Describe(LayoutResult result) =>
            result.Layout is { } layout ? $"size {layout.Size}" : $"no layout ({result.Problem!.Message})";
    }
}
