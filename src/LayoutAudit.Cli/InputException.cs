using System;

namespace LayoutAudit.Cli
{
    /// <summary>A problem with what the user gave the tool: reported as one line with its exit code, never a stack trace.</summary>
    public sealed class InputException : Exception
    {
        public InputException(int exitCode, string message)
            : base(message) => ExitCode = exitCode;

        public int ExitCode { get; }
    }
}
