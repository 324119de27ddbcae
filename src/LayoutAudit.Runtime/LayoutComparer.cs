using System;
using System.Collections.Generic;
using System.Linq;
using LayoutAudit.Core;

namespace LayoutAudit.Runtime
{
    /// <summary>Lists every difference between a predicted layout and a measured one.</summary>
    public static class LayoutComparer
    {
        /// <returns>One readable line per difference; empty when prediction and measurement agree.</returns>
        public static IReadOnlyList<string> Compare(TypeLayout predicted, MeasuredLayout measured)
        {
            var differences = new List<string>();
            if (predicted.Category != measured.Category)
            {
                differences.Add($"kind: predicted {Kind(predicted.Category)}, measured {Kind(measured.Category)}");
            }

            if (predicted.Size != measured.Size)
            {
                differences.Add($"size: predicted {predicted.Size}, measured {measured.Size}");
            }

            var predictedFields = new Dictionary<(string DeclaringType, string Name), FieldLayout>();
            foreach (var field in predicted.Fields)
            {
                if (predictedFields.ContainsKey((field.DeclaringType, field.Name)))
                {
                    differences.Add($"{Label(field.DeclaringType, field.Name, measured.Name)}: predicted more than once");
                    continue;
                }

                predictedFields.Add((field.DeclaringType, field.Name), field);
            }

            foreach (var field in measured.Fields)
            {
                string label = Label(field.DeclaringType, field.Name, measured.Name);
                if (!predictedFields.TryGetValue((field.DeclaringType, field.Name), out var prediction))
                {
                    differences.Add($"{label}: missing from the prediction (measured at offset {field.Offset})");
                    continue;
                }

                predictedFields.Remove((field.DeclaringType, field.Name));
                if (prediction.Offset != field.Offset)
                {
                    differences.Add($"{label}: predicted offset {prediction.Offset}, measured {field.Offset}");
                }

                if (prediction.Size != field.Size)
                {
                    differences.Add($"{label}: predicted size {prediction.Size}, measured {field.Size}");
                }

                if (prediction.IsReference != field.IsReference)
                {
                    differences.Add($"{label}: predicted {Reference(prediction.IsReference)}, measured {Reference(field.IsReference)}");
                }
            }

            foreach (var extra in predictedFields.Values.OrderBy(f => f.Offset))
            {
                differences.Add($"{Label(extra.DeclaringType, extra.Name, measured.Name)}: predicted at offset {extra.Offset}, but the runtime type has no such field");
            }

            return differences;
        }

        /// <summary>Throws with every difference listed, for use in tests.</summary>
        public static void AssertSame(TypeLayout predicted, MeasuredLayout measured)
        {
            var differences = Compare(predicted, measured);
            if (differences.Count > 0)
            {
                throw new LayoutMismatchException(measured.Name, differences);
            }
        }

        private static string Label(string declaringType, string name, string type) =>
            declaringType == type ? $"field {name}" : $"field {name} (declared in {declaringType})";

        private static string Reference(bool isReference) => isReference ? "an object reference" : "not an object reference";

        private static string Kind(TypeCategory category) => category == TypeCategory.Struct ? "struct" : "class";
    }

    /// <summary>A predicted layout differs from the runtime's.</summary>
    public sealed class LayoutMismatchException : Exception
    {
        public LayoutMismatchException(string typeName, IReadOnlyList<string> differences)
            : base($"the layout of {typeName} differs from its prediction:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", differences))
        {
            TypeName = typeName;
            Differences = differences;
        }

        public string TypeName { get; }

        public IReadOnlyList<string> Differences { get; }
    }
}
