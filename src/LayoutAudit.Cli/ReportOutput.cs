using System;
using System.IO;
using System.Threading.Tasks;

namespace LayoutAudit.Cli
{
    /// <summary>Writes a rendered report to a file, or to standard output when no file is given.</summary>
    internal static class ReportOutput
    {
        public static async Task WriteAsync(string? path, string text, TextWriter stdout)
        {
            if (path is null)
            {
                await stdout.WriteAsync(text).ConfigureAwait(false);
                return;
            }

            try
            {
                await File.WriteAllTextAsync(path, text).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new InputException(ExitCodes.BadInput, $"cannot write {path}: {AuditWorkspace.OneLine(e.Message)}");
            }
        }

        /// <summary>A report file's text; a missing or unreadable file is bad input, not a crash.</summary>
        public static string ReadReport(string path)
        {
            if (Directory.Exists(path))
            {
                throw new InputException(ExitCodes.BadInput, $"'{path}' is a directory: give a report written by layout-audit audit --format json");
            }

            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new InputException(ExitCodes.BadInput, $"file not found: {path}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new InputException(ExitCodes.BadInput, $"cannot read {path}: {AuditWorkspace.OneLine(e.Message)}");
            }
        }
    }
}
