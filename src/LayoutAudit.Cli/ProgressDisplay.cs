using System;
using System.IO;

namespace LayoutAudit.Cli
{
    /// <summary>One rewritten status line on a terminal's standard error during long runs; nothing when standard error is
    /// redirected, under CI, or when the writer is not the console (tests), so logs and files stay plain.</summary>
    public sealed class ProgressDisplay
    {
        private readonly TextWriter? _terminal;
        private int _width;

        private ProgressDisplay(TextWriter? terminal) => _terminal = terminal;

        public static ProgressDisplay None { get; } = new(null);

        public static ProgressDisplay For(TextWriter stderr)
        {
            bool interactive = ReferenceEquals(stderr, Console.Error)
                && !Console.IsErrorRedirected
                && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));
            return interactive ? new ProgressDisplay(stderr) : None;
        }

        public void Report(string status)
        {
            if (_terminal is null)
            {
                return;
            }

            _terminal.Write("\r" + status.PadRight(_width));
            _width = status.Length;
        }

        public void Clear()
        {
            if (_terminal is null || _width == 0)
            {
                return;
            }

            _terminal.Write("\r" + new string(' ', _width) + "\r");
            _width = 0;
        }
    }
}
