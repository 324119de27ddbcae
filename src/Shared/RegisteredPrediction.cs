using System;
using LayoutAudit.Core;

namespace LayoutAudit
{
    /// <summary>
    /// The text of a <c>[assembly: PredictedLayout]</c> registration: a <see cref="LayoutCodec"/> string, or, for a
    /// type with no layout, <c>problem;Kind;reason</c>. Written by the generator; read by the runtime verifier and the
    /// build-report task (linked into each, so all three agree on one format).
    /// </summary>
    internal static class RegisteredPrediction
    {
        private const string ProblemPrefix = "problem;";

        public static string ForProblem(LayoutProblemKind kind, string reason) => ProblemPrefix + kind + ";" + reason;

        /// <summary>Reads a registration back into a layout or a problem; false when the text is in neither form.</summary>
        public static bool TryRead(string typeName, string text, out TypeLayout? layout, out LayoutProblem? problem)
        {
            layout = null;
            problem = null;
            if (text.StartsWith(ProblemPrefix, StringComparison.Ordinal))
            {
                int split = text.IndexOf(';', ProblemPrefix.Length);
                if (split < 0)
                {
                    return false;
                }

                string kindName = text.Substring(ProblemPrefix.Length, split - ProblemPrefix.Length);
                var kind = Enum.TryParse(kindName, out LayoutProblemKind parsed) ? parsed : LayoutProblemKind.Unknown;
                problem = new LayoutProblem(typeName, kind, text.Substring(split + 1));
                return true;
            }

            try
            {
                layout = LayoutCodec.Decode(text);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }
}
