using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using LayoutAudit.Core;
using LayoutAudit.Runtime;

namespace LayoutAudit
{
    /// <summary>
    /// Checks the layout the generator predicted for an <c>[AuditLayout]</c> type against the layout the running
    /// runtime really gives it. The prediction is read from the <c>[assembly: PredictedLayout]</c> registrations of the
    /// type's assembly (no reflection over user types); the measurement is <see cref="RuntimeLayoutInspector"/>'s.
    /// </summary>
    public static class LayoutVerifier
    {
        // Weak keys: an assembly in a collectible load context can still be unloaded.
        private static readonly ConditionalWeakTable<Assembly, IReadOnlyList<PredictedLayoutAttribute>> s_registrations = new();

        /// <summary>Throws <see cref="LayoutMismatchException"/> listing every difference when the runtime lays
        /// <typeparamref name="T"/> out otherwise than predicted.</summary>
        /// <exception cref="InvalidOperationException">No prediction to compare: the type is not audited, the generator
        /// found no layout for it, or the prediction is for another pointer size than this process's.</exception>
        public static void Verify<T>() => Verify(typeof(T));

        /// <inheritdoc cref="Verify{T}"/>
        public static void Verify(Type type)
        {
            var predicted = GetPrediction(type);
            if (predicted.PointerSize != IntPtr.Size)
            {
                throw new InvalidOperationException($"the prediction for {type} is for {predicted.PointerSize}-byte pointers, but this process has {IntPtr.Size}-byte pointers");
            }

            LayoutComparer.AssertSame(predicted, RuntimeLayoutInspector.Measure(type));
        }

        /// <summary>The layout the generator predicted for <paramref name="type"/>.</summary>
        /// <exception cref="InvalidOperationException">The type has no registered prediction; the message says why.</exception>
        public static TypeLayout GetPrediction(Type type)
        {
            if (TryGetPrediction(type, out var layout, out var problem))
            {
                return layout!;
            }

            throw new InvalidOperationException(problem is not null
                ? $"{type} has no predicted layout: {problem.Message}"
                : $"{type} has no predicted layout in {type.Assembly.GetName().Name}: mark it [AuditLayout] and build with the LayoutAudit generator");
        }

        /// <summary>The registered prediction, or the problem the generator registered instead; false when there is no
        /// usable layout.</summary>
        public static bool TryGetPrediction(Type type, out TypeLayout? layout, out LayoutProblem? problem)
        {
            layout = null;
            problem = null;
            string name = type.ToString();
            foreach (var registration in Registrations(type.Assembly))
            {
                if (registration.Type == type || (registration.Type is null && registration.TypeName == name))
                {
                    return RegisteredPrediction.TryRead(name, registration.Layout, out layout, out problem) && layout is not null;
                }
            }

            return false;
        }

        /// <summary>Every prediction registered in <paramref name="assembly"/> (types with no layout left out).</summary>
        public static IReadOnlyList<TypeLayout> GetPredictions(Assembly assembly)
        {
            var layouts = new List<TypeLayout>();
            foreach (var registration in Registrations(assembly))
            {
                if (RegisteredPrediction.TryRead(registration.TypeName, registration.Layout, out var layout, out _) && layout is not null)
                {
                    layouts.Add(layout);
                }
            }

            return layouts;
        }

        private static IReadOnlyList<PredictedLayoutAttribute> Registrations(Assembly assembly) =>
            s_registrations.GetValue(assembly, a => new List<PredictedLayoutAttribute>(a.GetCustomAttributes<PredictedLayoutAttribute>()));
    }
}
