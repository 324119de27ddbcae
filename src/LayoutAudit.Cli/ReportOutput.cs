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
                try
                {
                    await stdout.WriteAsync(text).ConfigureAwait(false);
                    await stdout.FlushAsync().ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    // Output piped into a reader that stopped early (`| head`): the user's pipe, not a fault of the tool.
                    throw new InputException(ExitCodes.BadInput, $"cannot write to standard output: {AuditWorkspace.OneLine(e.Message)}");
                }

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

        /// <summary>The largest report <c>diff</c> and <c>--baseline</c> read (documented in docs/cli.md). Reading stops there, which bounds memory.</summary>
        public const int MaxReportBytes = 256 * 1024 * 1024;

        /// <summary>A report file's bytes; a missing or unreadable file is bad input, a file past the limit a bad report, not a crash.</summary>
        public static ReadOnlyMemory<byte> ReadReport(string path)
        {
            if (Directory.Exists(path))
            {
                throw new InputException(ExitCodes.BadInput, $"'{path}' is a directory: give a report written by layout-audit audit --format json");
            }

            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);

                // The length check refuses a huge file before reading it; the bounded copy covers files whose
                // length says nothing (a pipe, a device) or that grow while read.
                if (stream.CanSeek && stream.Length > MaxReportBytes)
                {
                    throw TooLarge(path);
                }

                var content = new MemoryStream(stream.CanSeek ? (int)stream.Length : 0);
                var chunk = new byte[81920];
                int read;
                while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if (content.Length + read > MaxReportBytes)
                    {
                        throw TooLarge(path);
                    }

                    content.Write(chunk, 0, read);
                }

                return content.GetBuffer().AsMemory(0, (int)content.Length);
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

        private static InputException TooLarge(string path) =>
            new(ExitCodes.BadReport, $"{path} is larger than {MaxReportBytes / (1024 * 1024)} MB, the most a layout-audit report may be");
    }
}
