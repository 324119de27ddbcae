using System;
using System.Collections;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Text;

namespace LayoutAudit.Package.Tests
{
    /// <summary>Runs the <c>dotnet</c> CLI as a user would, in a clean environment.</summary>
    internal static class DotNet
    {
        public static string RepositoryRoot => Metadata("RepositoryRoot");

        public static string Configuration => Metadata("Configuration");

        public static (int ExitCode, string Output) Run(string workingDirectory, params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            // The test host's MSBuild settings are not a user's.
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                start.Environment.Remove(name);
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

            using var process = Process.Start(start)!;
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("dotnet " + string.Join(' ', arguments) + " did not finish in 4 minutes:\n" + output);
            }

            process.WaitForExit();
            lock (output)
            {
                return (process.ExitCode, output.ToString());
            }
        }

        private static string Metadata(string key) =>
            typeof(DotNet).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
    }
}
