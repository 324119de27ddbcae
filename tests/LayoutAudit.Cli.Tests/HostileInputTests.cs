using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace LayoutAudit.Cli.Tests
{
    /// <summary>
    /// Hostile input to every command that reads it: each gives one line on standard error, the documented exit code,
    /// no stack trace, and bounded memory.
    /// </summary>
    public sealed class HostileInputTests : IDisposable
    {
        /// <summary>Far below the gigabyte inputs, far above what refusing one costs.</summary>
        private const long MemoryBound = 64L * 1024 * 1024;

        private const long Gigabyte = 1L << 30;

        private readonly string _folder = Path.Combine(Path.GetTempPath(), "layout-audit-hostile-" + Guid.NewGuid().ToString("N"));
        private readonly List<IDisposable> _locks = new();
        private readonly ITestOutputHelper _output;

        public HostileInputTests(ITestOutputHelper output)
        {
            _output = output;
            Directory.CreateDirectory(_folder);
            File.WriteAllText(Path.Combine(_folder, "good.json"), "{\"version\": 1, \"types\": [], \"problems\": [], \"findings\": []}");
        }

        public void Dispose()
        {
            _locks.ForEach(l => l.Dispose());
            Directory.Delete(_folder, recursive: true);
        }

        // ---- reports: read by diff (either side) and by audit --baseline ----

        public static IEnumerable<object[]> ReportReaders() => new[] { new object[] { "diff-base" }, new object[] { "diff-head" }, new object[] { "audit-baseline" } };

        [Theory]
        [MemberData(nameof(ReportReaders))]
        public async Task AGigabyteReportIsRefusedWithoutBeingRead(string reader)
        {
            string path = Sparse("huge.json", Gigabyte);
            var run = await RunMeasured(ReportArgs(reader, path));
            AssertOneLine(run, ExitCodes.BadReport, "huge.json is larger than 256 MB");
            AssertBounded(run);
        }

        [Fact]
        public async Task TheMemoryMeterSeesAReportThatIsRead()
        {
            // The bound above means something only if a report that is read shows up in the measure.
            string path = Path.Combine(_folder, "padded.json");
            using (var file = File.CreateText(path))
            {
                file.Write("{\"version\": 1, \"types\": []");
                file.Write(new string(' ', 48 * 1024 * 1024));
                file.Write('}');
            }

            var run = await RunMeasured(ReportArgs("diff-base", path));
            _output.WriteLine($"allocated {run.AllocatedBytes:N0} bytes");
            Assert.Equal(ExitCodes.Success, run.Code);
            Assert.True(run.AllocatedBytes > 48L * 1024 * 1024, $"allocated {run.AllocatedBytes:N0} bytes");
        }

        [Theory]
        [InlineData("utf-8")]
        [InlineData("utf-8 with a byte order mark")]
        [InlineData("utf-16")]
        [InlineData("utf-16 big-endian")]
        public async Task AReportInAnyEncodingThatNamesItselfIsRead(string encoding)
        {
            // Reports are read as bytes to bound memory; a report redirected by Windows PowerShell 5 is UTF-16 with a mark.
            var text = System.Text.Encoding.UTF8.GetBytes("{\"version\": 1, \"types\": [{\"name\": \"Größe\", \"kind\": \"struct\", \"size\": 8, \"fields\": [], \"padding\": 0}]}");
            byte[] bytes = encoding switch
            {
                "utf-8" => text,
                "utf-8 with a byte order mark" => new byte[] { 0xEF, 0xBB, 0xBF }.Concat(text).ToArray(),
                "utf-16" => System.Text.Encoding.Unicode.GetPreamble().Concat(System.Text.Encoding.Convert(System.Text.Encoding.UTF8, System.Text.Encoding.Unicode, text)).ToArray(),
                _ => System.Text.Encoding.BigEndianUnicode.GetPreamble().Concat(System.Text.Encoding.Convert(System.Text.Encoding.UTF8, System.Text.Encoding.BigEndianUnicode, text)).ToArray(),
            };
            string path = Path.Combine(_folder, "encoded.json");
            File.WriteAllBytes(path, bytes);

            var run = await RunMeasured("diff", Path.Combine(_folder, "good.json"), path);

            Assert.True(run.Code == ExitCodes.Success, run.Stderr);
            Assert.Contains("Größe", run.Stdout, StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(ReportReaders))]
        public async Task JsonArraysNested100000DeepAreRefusedAtTheDepthLimit(string reader)
        {
            string path = Write("deep-arrays.json", new string('[', 100_000) + new string(']', 100_000));
            var run = await RunMeasured(ReportArgs(reader, path));
            AssertOneLine(run, ExitCodes.BadReport, "deep-arrays.json is not valid JSON: ");
            Assert.Contains("depth of 64", run.Stderr, StringComparison.Ordinal);
            AssertBounded(run);
        }

        [Theory]
        [MemberData(nameof(ReportReaders))]
        public async Task JsonObjectsNested100000DeepAreRefusedAtTheDepthLimit(string reader)
        {
            string path = Write("deep-objects.json", string.Concat(Enumerable.Repeat("{\"types\":", 100_000)) + "[]" + new string('}', 100_000));
            var run = await RunMeasured(ReportArgs(reader, path));
            AssertOneLine(run, ExitCodes.BadReport, "deep-objects.json is not valid JSON: ");
            Assert.Contains("depth of 64", run.Stderr, StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(ReportReaders))]
        public async Task BinaryGarbageAsAReportIsNotJson(string reader)
        {
            string path = Garbage("garbage.json", 64 * 1024);
            var run = await RunMeasured(ReportArgs(reader, path));
            AssertOneLine(run, ExitCodes.BadReport, "garbage.json is not valid JSON: ");
        }

        [Theory]
        [MemberData(nameof(ReportReaders))]
        public async Task BinaryGarbageInsideAReportStringNamesItsPath(string reader)
        {
            // Well-formed JSON whose bytes inside a string are not UTF-8: the parser accepts it, reading the string fails.
            string path = Path.Combine(_folder, "garbage-name.json");
            byte[] head = System.Text.Encoding.ASCII.GetBytes("{\"types\": [{\"name\": \"");
            byte[] tail = System.Text.Encoding.ASCII.GetBytes("\", \"kind\": \"struct\", \"size\": 8, \"fields\": [], \"padding\": 0}]}");
            File.WriteAllBytes(path, head.Concat(new byte[] { 0xC3, 0x28, 0xFF, 0xFE, 0x80 }).Concat(tail).ToArray());
            var run = await RunMeasured(ReportArgs(reader, path));
            AssertOneLine(run, ExitCodes.BadReport, "garbage-name.json is not a layout-audit report: types[0].name is not valid UTF-8");
        }

        [Theory]
        [MemberData(nameof(ReportReaders))]
        public async Task ADirectoryWhereAReportIsExpected(string reader)
        {
            string path = Path.Combine(_folder, "folder.json");
            Directory.CreateDirectory(path);
            var run = await RunMeasured(ReportArgs(reader, path));
            AssertOneLine(run, ExitCodes.BadInput, "folder.json' is a directory");
        }

        [Theory]
        [MemberData(nameof(ReportReaders))]
        public async Task AMissingReport(string reader)
        {
            var run = await RunMeasured(ReportArgs(reader, Path.Combine(_folder, "missing.json")));
            AssertOneLine(run, ExitCodes.BadInput, "file not found: ");
        }

        [Theory]
        [MemberData(nameof(ReportReaders))]
        public async Task AnUnreadableReport(string reader)
        {
            string path = Unreadable("locked.json");
            var run = await RunMeasured(ReportArgs(reader, path));
            AssertOneLine(run, ExitCodes.BadInput, "cannot read ");
        }

        [Fact]
        public async Task ADirectoryWhereTheOutputFileIsExpected()
        {
            string good = Path.Combine(_folder, "good.json");
            var run = await RunMeasured("diff", good, good, "--output", _folder);
            AssertOneLine(run, ExitCodes.BadInput, "cannot write ");
        }

        // ---- assemblies: read by layout ----

        [Fact]
        public async Task AGigabyteDllIsRefusedWithoutBeingRead()
        {
            string path = Sparse("huge.dll", Gigabyte);
            var run = await RunMeasured("layout", path);
            AssertOneLine(run, ExitCodes.LoadFailure, "not a .NET assembly: ");
            AssertBounded(run);
        }

        [Fact]
        public async Task BinaryGarbageAsADll()
        {
            var run = await RunMeasured("layout", Garbage("garbage.dll", 64 * 1024));
            AssertOneLine(run, ExitCodes.LoadFailure, "not a .NET assembly: ");
        }

        [Fact]
        public async Task ANativeExecutableAsADll()
        {
            // The process running the tests is a native executable on every platform (dotnet or the test host).
            string native = Environment.ProcessPath!;
            string path = Path.Combine(_folder, "native.dll");
            File.Copy(native, path);
            var run = await RunMeasured("layout", path);
            AssertOneLine(run, ExitCodes.LoadFailure, "not a .NET assembly: ");
        }

        [Theory]
        [InlineData(1, 8)]
        [InlineData(1, 2)]
        [InlineData(7, 8)]
        [InlineData(-1, 0)]
        public async Task ATruncatedDll(int numerator, int denominator)
        {
            // -1/0 is the whole file but its last byte.
            byte[] whole = File.ReadAllBytes(typeof(LayoutAuditCommand).Assembly.Location);
            int length = denominator == 0 ? whole.Length - 1 : whole.Length * numerator / denominator;
            string path = Path.Combine(_folder, "truncated.dll");
            File.WriteAllBytes(path, whole.AsSpan(0, length).ToArray());
            var run = await RunMeasured("layout", path, "--all-types");
            Assert.True(run.Code == ExitCodes.LoadFailure, $"exit {run.Code}: {run.Stderr}");
            Assert.Matches("^layout-audit: error: (not a \\.NET assembly|a truncated \\.NET assembly)", run.Stderr);
            AssertOneLine(run, ExitCodes.LoadFailure, "truncated.dll");
        }

        [Fact]
        public async Task HostileNeighboursDoNotStopAGoodDll()
        {
            // The .dlls beside an assembly are read as its references: the broken ones must be passed over.
            string good = Path.Combine(_folder, "LayoutAudit.Core.dll");
            File.Copy(typeof(LayoutAudit.Core.TypeLayout).Assembly.Location, good);
            byte[] cli = File.ReadAllBytes(typeof(LayoutAuditCommand).Assembly.Location);
            File.WriteAllBytes(Path.Combine(_folder, "Half.dll"), cli.AsSpan(0, cli.Length / 2).ToArray());
            File.WriteAllBytes(Path.Combine(_folder, "AllButOneByte.dll"), cli.AsSpan(0, cli.Length - 1).ToArray());
            Garbage("garbage.dll", 4096);
            Sparse("huge.dll", Gigabyte);
            File.Copy(Environment.ProcessPath!, Path.Combine(_folder, "native.dll"));
            Directory.CreateDirectory(Path.Combine(_folder, "folder.dll"));
            Unreadable("locked.dll");

            var run = await RunMeasured("layout", good, "--all-types");

            Assert.True(run.Code == ExitCodes.Success, $"exit {run.Code}: {run.Stderr}");
            Assert.Equal("", run.Stderr);
            Assert.Contains("TypeLayout", run.Stdout, StringComparison.Ordinal);
        }

        [Fact]
        public void EveryAssemblyOfTheRuntimeIsComplete()
        {
            // The truncation check must not refuse real assemblies: the runtime's own are the references of every layout.
            string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var assemblies = Directory.GetFiles(runtime, "*.dll").Where(p => IsManaged(p)).ToList();
            Assert.True(assemblies.Count > 100, $"{assemblies.Count} assemblies in {runtime}");
            foreach (string path in assemblies)
            {
                using var stream = File.OpenRead(path);
                Assert.True(CompilationLoader.AssemblyProblem(stream) is null, path);
            }
        }

        [Fact]
        public async Task ADirectoryWhereADllIsExpected()
        {
            string path = Path.Combine(_folder, "folder.dll");
            Directory.CreateDirectory(path);
            var run = await RunMeasured("layout", path);
            AssertOneLine(run, ExitCodes.BadInput, "folder.dll' is a directory");
        }

        [Fact]
        public async Task AMissingDll()
        {
            var run = await RunMeasured("layout", Path.Combine(_folder, "missing.dll"));
            AssertOneLine(run, ExitCodes.BadInput, "file not found: ");
        }

        [Fact]
        public async Task AnUnreadableDll()
        {
            var run = await RunMeasured("layout", Unreadable("locked.dll"));
            AssertOneLine(run, ExitCodes.LoadFailure, "cannot read ");
        }

        // ---- sources: read by layout ----

        [Fact]
        public async Task AGigabyteSourceFileIsRefusedWithoutBeingRead()
        {
            string path = Sparse("huge.cs", Gigabyte);
            var run = await RunMeasured("layout", path);
            AssertOneLine(run, ExitCodes.LoadFailure, "huge.cs is larger than 64 MB");
            AssertBounded(run);
        }

        [Fact]
        public async Task ADirectoryWhereASourceFileIsExpected()
        {
            string path = Path.Combine(_folder, "folder.cs");
            Directory.CreateDirectory(path);
            var run = await RunMeasured("layout", path);
            AssertOneLine(run, ExitCodes.BadInput, "folder.cs' is a directory");
        }

        [Fact]
        public async Task AMissingSourceFile()
        {
            var run = await RunMeasured("layout", Path.Combine(_folder, "missing.cs"));
            AssertOneLine(run, ExitCodes.BadInput, "file not found: ");
        }

        [Fact]
        public async Task AnUnreadableSourceFile()
        {
            var run = await RunMeasured("layout", Unreadable("locked.cs"));
            AssertOneLine(run, ExitCodes.LoadFailure, "cannot read ");
        }

        // ---- solutions and projects: read by audit, and by layout for a .csproj ----

        [Theory]
        [InlineData("audit", "huge.sln")]
        [InlineData("audit", "huge.slnx")]
        [InlineData("audit", "huge.csproj")]
        [InlineData("layout", "huge.csproj")]
        public async Task AGigabyteSolutionOrProjectIsRefusedWithoutBeingRead(string command, string name)
        {
            // MSBuild reads a whole project file into memory (4 GB for this one, then out of memory): the size is checked first.
            string path = Sparse(name, Gigabyte);
            var run = await RunMeasured(command, path);
            AssertOneLine(run, ExitCodes.LoadFailure, name + " is larger than 16 MB");
            AssertBounded(run);
        }

        // ---- faults of the tool itself ----

        [Fact]
        public async Task AnUnexpectedExceptionIsOneLineWithItsOwnExitCode()
        {
            // Standard output that refuses to be written is a fault no input check foresees.
            string good = Path.Combine(_folder, "good.json");
            var stderr = new StringWriter();
            int code = await LayoutAuditCommand.RunAsync(new[] { "diff", good, good }, new RefusingWriter(), stderr);

            Assert.Equal(ExitCodes.InternalError, code);
            string line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal("layout-audit: internal error: standard output refused the report (--verbosity Debug shows where)", line.TrimEnd('\r'));
        }

        [Theory]
        [InlineData("diff")]
        [InlineData("layout")]
        public async Task AClosedPipeOnStandardOutputIsOneLine(string command)
        {
            // `layout-audit ... | head -1`: the reader goes away and writing fails with an I/O error.
            string good = Path.Combine(_folder, "good.json");
            string[] args = command == "diff" ? new[] { "diff", good, good } : new[] { "layout", Write("S.cs", "struct S { int X; }"), "--all-types" };
            var stderr = new StringWriter();
            int code = await LayoutAuditCommand.RunAsync(args, new RefusingWriter(new IOException("Broken pipe")), stderr);

            Assert.Equal(ExitCodes.BadInput, code);
            string line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal("layout-audit: error: cannot write to standard output: Broken pipe", line.TrimEnd('\r'));
        }

        [Fact]
        public async Task AnUnexpectedExceptionWhilePrintingHelpIsOneLine()
        {
            var stderr = new StringWriter();
            int code = await LayoutAuditCommand.RunAsync(new[] { "--help" }, new RefusingWriter(), stderr);

            Assert.Equal(ExitCodes.InternalError, code);
            string line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("layout-audit: internal error: standard output refused the report", line, StringComparison.Ordinal);
        }

        [Fact]
        public async Task VerbosityDebugShowsWhereTheUnexpectedExceptionCameFrom()
        {
            string good = Path.Combine(_folder, "good.json");
            var stderr = new StringWriter();
            int code = await LayoutAuditCommand.RunAsync(new[] { "diff", good, good, "--verbosity", "Debug" }, new RefusingWriter(), stderr);

            Assert.Equal(ExitCodes.InternalError, code);
            string[] lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("layout-audit: internal error: standard output refused the report", lines[0].TrimEnd('\r'));
            Assert.Contains(lines, l => l.Contains("   at ", StringComparison.Ordinal) && l.Contains(nameof(RefusingWriter), StringComparison.Ordinal));
        }

        // ---- the real process: what a user sees on the terminal, logs included ----

        [Theory]
        [InlineData("diff", "deep-arrays.json", ExitCodes.BadReport)]
        [InlineData("diff", "huge.json", ExitCodes.BadReport)]
        [InlineData("layout", "garbage.dll", ExitCodes.LoadFailure)]
        [InlineData("layout", "truncated.dll", ExitCodes.LoadFailure)]
        [InlineData("layout", "missing.dll", ExitCodes.BadInput)]
        public async Task TheToolProcessPrintsOneLine(string command, string name, int expectedCode)
        {
            string path = Path.Combine(_folder, name);
            switch (name)
            {
                case "deep-arrays.json":
                    Write(name, new string('[', 100_000) + new string(']', 100_000));
                    break;
                case "huge.json":
                    Sparse(name, Gigabyte);
                    break;
                case "garbage.dll":
                    Garbage(name, 64 * 1024);
                    break;
                case "truncated.dll":
                    byte[] whole = File.ReadAllBytes(typeof(LayoutAuditCommand).Assembly.Location);
                    File.WriteAllBytes(path, whole.AsSpan(0, whole.Length / 2).ToArray());
                    break;
            }

            var args = command == "diff" ? new[] { "diff", path, Path.Combine(_folder, "good.json") } : new[] { "layout", path };
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(typeof(LayoutAuditCommand).Assembly.Location);
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            AssertOneLine(new Run(process.ExitCode, await stdout, stderr, 0), expectedCode, name);
        }

        // ---- helpers ----

        private sealed record Run(int Code, string Stdout, string Stderr, long AllocatedBytes);

        private string[] ReportArgs(string reader, string path)
        {
            string good = Path.Combine(_folder, "good.json");
            return reader switch
            {
                "diff-base" => new[] { "diff", path, good },
                "diff-head" => new[] { "diff", good, path },

                // The baseline is read before the project is looked at, so any path stands for the project.
                _ => new[] { "audit", _folder, "--fail-on", "regression", "--baseline", path },
            };
        }

        /// <summary>
        /// Runs the command in this process and measures what this thread allocated. Every refusal here completes
        /// without leaving the thread (asserted), so the measure holds the whole run.
        /// </summary>
        private static async Task<Run> RunMeasured(params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            long before = GC.GetAllocatedBytesForCurrentThread();
            var task = LayoutAuditCommand.RunAsync(args, stdout, stderr);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            bool synchronous = task.IsCompleted;
            int code = await task;
            if (!synchronous && code != ExitCodes.Success)
            {
                Assert.Fail("the refusal left the calling thread, so its allocations cannot be measured: " + stderr);
            }

            return new Run(code, stdout.ToString(), stderr.ToString(), allocated);
        }

        private void AssertBounded(Run run)
        {
            _output.WriteLine($"allocated {run.AllocatedBytes:N0} bytes");
            Assert.True(run.AllocatedBytes < MemoryBound, $"allocated {run.AllocatedBytes:N0} bytes");
        }

        private static void AssertOneLine(Run run, int expectedCode, string expectedText)
        {
            Assert.True(expectedCode == run.Code, $"exit {run.Code}, expected {expectedCode}: {run.Stderr}");
            Assert.Equal("", run.Stdout);
            string line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('\r');
            Assert.StartsWith("layout-audit: error: ", line, StringComparison.Ordinal);
            Assert.Contains(expectedText, line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", run.Stderr, StringComparison.Ordinal);
            Assert.True(line.Length < 400, $"{line.Length} characters: {line}");
        }

        private string Write(string name, string text)
        {
            string path = Path.Combine(_folder, name);
            File.WriteAllText(path, text);
            return path;
        }

        /// <summary>A file of the given length that takes no disk: its length is set, nothing is written.</summary>
        private string Sparse(string name, long length)
        {
            string path = Path.Combine(_folder, name);
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            file.SetLength(length);
            return path;
        }

        private string Garbage(string name, int length)
        {
            var bytes = new byte[length];
            new Random(20261203).NextBytes(bytes);
            string path = Path.Combine(_folder, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        /// <summary>
        /// A file that exists and cannot be read. File permissions do not stop root (who runs the tests in some
        /// containers), so there the file is a link to /proc/self/mem, whose first page fails to read for anyone;
        /// on Windows the file is held open without sharing.
        /// </summary>
        private string Unreadable(string name)
        {
            string path = Write(name, "struct S { int X; }");
            if (OperatingSystem.IsWindows())
            {
                _locks.Add(new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None));
                return path;
            }

            File.SetUnixFileMode(path, UnixFileMode.None);
            if (!CanRead(path))
            {
                return path;
            }

            Assert.True(OperatingSystem.IsLinux(), "this user reads a file with no permissions, and /proc/self/mem is Linux only");
            File.Delete(path);
            File.CreateSymbolicLink(path, "/proc/self/mem");
            Assert.False(CanRead(path), path + " is readable");
            return path;
        }

        private static bool CanRead(string path)
        {
            try
            {
                using var stream = File.OpenRead(path);
                stream.ReadByte();
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        private static bool IsManaged(string path)
        {
            try
            {
                System.Reflection.AssemblyName.GetAssemblyName(path);
                return true;
            }
            catch (BadImageFormatException)
            {
                return false;
            }
        }

        /// <summary>Standard output that fails on every write, by default with an exception no check foresees.</summary>
        private sealed class RefusingWriter : TextWriter
        {
            private readonly Exception? _failure;

            public RefusingWriter(Exception? failure = null) => _failure = failure;

            public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

            public override void Write(char value) => throw Refused();

            public override void Write(string? value) => throw Refused();

            public override void Write(char[] buffer, int index, int count) => throw Refused();

            public override void Write(ReadOnlySpan<char> buffer) => throw Refused();

            public override void WriteLine(string? value) => throw Refused();

            public override Task WriteAsync(string? value) => throw Refused();

            public override Task WriteLineAsync(string? value) => throw Refused();

            private Exception Refused() => _failure ?? new InvalidOperationException("standard output refused the report");
        }
    }

    /// <summary>Hostile solutions and projects, which reach MSBuild: one line each, however much MSBuild has to say.</summary>
    [Collection(MSBuildCollection.Name)]
    public sealed class HostileProjectTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "layout-audit-hostile-projects-" + Guid.NewGuid().ToString("N"));

        public HostileProjectTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        [Theory]
        [InlineData("audit", "garbage.sln")]
        [InlineData("audit", "garbage.slnx")]
        [InlineData("audit", "garbage.csproj")]
        [InlineData("layout", "garbage.csproj")]
        public async Task BinaryGarbageAsASolutionOrProject(string command, string name)
        {
            var bytes = new byte[64 * 1024];
            new Random(20261203).NextBytes(bytes);
            string path = Path.Combine(_folder, name);
            File.WriteAllBytes(path, bytes);
            await ExpectOneLine(command, path);
        }

        [Theory]
        [InlineData("audit", "deep.csproj")]
        [InlineData("audit", "deep.slnx")]
        [InlineData("layout", "deep.csproj")]
        public async Task XmlNested100000DeepIsRefusedAtTheDepthLimit(string command, string name)
        {
            // Left to MSBuild this took minutes: its XML reader lists the 100,000 unclosed elements in quadratic time.
            string path = Path.Combine(_folder, name);
            File.WriteAllText(path, string.Concat(Enumerable.Repeat("<Project>", 100_000)));
            string line = await ExpectOneLine(command, path);
            Assert.EndsWith("its XML is nested deeper than 128 elements", line, StringComparison.Ordinal);
        }

        [Fact]
        public void AnErrorMessageIsCutToAReadableLine()
        {
            // Messages quote what they were given, and MSBuild's can list thousands of elements.
            string message = string.Concat(Enumerable.Repeat("Project, ", 100_000));
            string line = LayoutAuditCommand.Shorten(message);
            Assert.Equal(1001, line.Length);
            Assert.Equal(message.Substring(0, 1000) + "…", line);
            Assert.Equal("short", LayoutAuditCommand.Shorten("short"));
        }

        private static async Task<string> ExpectOneLine(string command, string path)
        {
            var (code, stdout, stderr) = await AuditSample.Run(command, path);
            Assert.True(code == ExitCodes.LoadFailure, $"exit {code}: {stderr}");
            Assert.Equal("", stdout);
            string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('\r');
            Assert.StartsWith("layout-audit: error: cannot load ", line, StringComparison.Ordinal);
            Assert.Contains(Path.GetFileName(path), line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
            return line;
        }
    }
}
