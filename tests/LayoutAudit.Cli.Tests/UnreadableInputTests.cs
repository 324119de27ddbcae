using System;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace LayoutAudit.Cli.Tests
{
    /// <summary>Inputs that exist but fail when read: one line and the load-failure code, never a stack trace.</summary>
    public sealed class UnreadableInputTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "layout-audit-unreadable-" + Guid.NewGuid().ToString("N"));

        public UnreadableInputTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        [Theory]
        [InlineData("Broken.cs")]
        [InlineData("Broken.dll")]
        public async Task AFileThatFailsWhenReadGivesOneLine(string name)
        {
            // Reading /proc/self/mem from offset 0 fails with an I/O error, whoever runs the test (even root,
            // for whom file permissions would not make a file unreadable).
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            string path = Path.Combine(_folder, name);
            File.CreateSymbolicLink(path, "/proc/self/mem");
            var stdout = new StringWriter();
            var stderr = new StringWriter();

            int code = await LayoutAuditCommand.RunAsync(new[] { "layout", path }, stdout, stderr);

            Assert.Equal(ExitCodes.LoadFailure, code);
            Assert.Equal("", stdout.ToString());
            string line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("layout-audit: error: ", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
        }
    }
}
