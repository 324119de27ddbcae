namespace LayoutAudit.Cli
{
    /// <summary>The tool's exit codes (documented in docs/cli.md).</summary>
    public static class ExitCodes
    {
        /// <summary>The command ran.</summary>
        public const int Success = 0;

        /// <summary>Findings at or above the requested --fail-on level.</summary>
        public const int Findings = 1;

        /// <summary>Bad usage or input: unknown option or format, missing file, unsupported file kind.</summary>
        public const int BadInput = 2;

        /// <summary>An input exists but cannot be loaded: not an assembly, a project that does not load or compile.</summary>
        public const int LoadFailure = 3;

        /// <summary>A report given to <c>diff</c> or <c>--baseline</c> is not JSON, not a layout-audit report, or larger than the report limit.</summary>
        public const int BadReport = 4;

        /// <summary>A fault in the tool itself: an exception no input check foresaw. One line, no stack trace unless --verbosity Debug or Trace.</summary>
        public const int InternalError = 5;

        /// <summary>Stopped by the user (Ctrl+C): 128 plus SIGINT's number, as shells report it.</summary>
        public const int Cancelled = 130;
    }
}
