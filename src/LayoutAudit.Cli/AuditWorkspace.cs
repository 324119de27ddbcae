using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.MSBuild;
using Microsoft.Extensions.Logging;

namespace LayoutAudit.Cli
{
    /// <summary>The C# projects of a solution or a project, loaded through MSBuild (a real workspace, not file globbing).</summary>
    public sealed class AuditWorkspace : IDisposable
    {
        // Typed as the base class: MSBuildWorkspace's own type must not load before MSBuild is registered.
        private readonly Workspace _workspace;

        private AuditWorkspace(Workspace workspace, IReadOnlyList<Project> projects, TimeSpan loadTime)
        {
            _workspace = workspace;
            Projects = projects;
            LoadTime = loadTime;
        }

        /// <summary>One project per project file (a multi-targeting project's first target), in file order.</summary>
        public IReadOnlyList<Project> Projects { get; }

        /// <summary>Time MSBuild took to evaluate the projects and resolve their references.</summary>
        public TimeSpan LoadTime { get; }

        public void Dispose() => _workspace.Dispose();

        /// <summary>The largest solution or project file read (documented in docs/cli.md): real ones are kilobytes, and
        /// MSBuild reads the whole file into memory, so a bigger one is refused before it is read.</summary>
        public const int MaxProjectBytes = 16 * 1024 * 1024;

        /// <summary>The .sln, .slnx or .csproj an input names, itself or the single one in a directory, within the size limit.</summary>
        public static string ResolveInput(string input)
        {
            string path = ResolveInputPath(input);
            CheckProjectSize(path);
            return path;
        }

        internal static void CheckProjectSize(string path)
        {
            long length;
            try
            {
                length = new FileInfo(path).Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputException(ExitCodes.LoadFailure, $"cannot read {path}: {OneLine(e.Message)}");
            }

            if (length > MaxProjectBytes)
            {
                throw new InputException(ExitCodes.LoadFailure, $"{path} is larger than {MaxProjectBytes / (1024 * 1024)} MB, the most a solution or project file may be");
            }

            string extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is ".csproj" or ".slnx")
            {
                CheckXmlDepth(path);
            }
        }

        /// <summary>The deepest element nesting read in a project or .slnx file (real ones nest under 20; documented in docs/cli.md).</summary>
        public const int MaxXmlDepth = 128;

        /// <summary>
        /// Refuses XML nested deeper than <see cref="MaxXmlDepth"/>. The XML reader that MSBuild and XDocument use builds
        /// its "elements not closed" message in time quadratic in the depth: minutes for 100,000 unclosed elements.
        /// Any other XML problem is left to them to report.
        /// </summary>
        private static void CheckXmlDepth(string path)
        {
            try
            {
                using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
                while (reader.Read())
                {
                    if (reader.Depth > MaxXmlDepth)
                    {
                        throw new InputException(ExitCodes.LoadFailure, $"cannot load {path}: its XML is nested deeper than {MaxXmlDepth} elements");
                    }
                }
            }
            catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
            {
            }
        }

        private static string ResolveInputPath(string input)
        {
            if (File.Exists(input))
            {
                string extension = Path.GetExtension(input).ToLowerInvariant();
                return extension is ".sln" or ".slnx" or ".csproj"
                    ? Path.GetFullPath(input)
                    : throw new InputException(ExitCodes.BadInput, $"unsupported input: {input} (give a .sln, a .csproj or a directory holding one)");
            }

            if (!Directory.Exists(input))
            {
                throw new InputException(ExitCodes.BadInput, $"path not found: {input}");
            }

            var solutions = Directory.GetFiles(input, "*.sln").Concat(Directory.GetFiles(input, "*.slnx")).ToList();
            var projects = Directory.GetFiles(input, "*.csproj");
            var candidates = solutions.Count > 0 ? solutions : projects.ToList();
            return candidates.Count switch
            {
                1 => Path.GetFullPath(candidates[0]),
                0 => throw new InputException(ExitCodes.BadInput, $"no .sln or .csproj in {input}"),
                _ => throw new InputException(ExitCodes.BadInput, $"{input} holds {candidates.Count} {(solutions.Count > 0 ? "solutions" : "projects")}: name one ({string.Join(", ", candidates.Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal))})"),
            };
        }

        /// <summary>The repository root: the nearest folder above the input holding .git, else the input's folder.</summary>
        public static string FindRoot(string inputPath)
        {
            string start = Path.GetDirectoryName(Path.GetFullPath(inputPath))!;
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                string git = Path.Combine(folder.FullName, ".git");
                if (Directory.Exists(git) || File.Exists(git))
                {
                    return folder.FullName;
                }
            }

            return start;
        }

        public static async Task<AuditWorkspace> OpenAsync(string path, IReadOnlyDictionary<string, string> properties, ILogger logger, CancellationToken cancellationToken)
        {
            CompilationLoader.EnsureMSBuildRegistered();
            return await OpenRegisteredAsync(path, properties, logger, cancellationToken).ConfigureAwait(false);
        }

        private static async Task<AuditWorkspace> OpenRegisteredAsync(string path, IReadOnlyDictionary<string, string> properties, ILogger logger, CancellationToken cancellationToken)
        {
            var workspace = MSBuildWorkspace.Create(properties.ToDictionary(p => p.Key, p => p.Value));
            try
            {
                var watch = Stopwatch.StartNew();
                string extension = Path.GetExtension(path).ToLowerInvariant();
                bool isProject = extension == ".csproj";
                List<Project> projects;
                try
                {
                    projects = extension switch
                    {
                        ".csproj" => new List<Project> { await workspace.OpenProjectAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false) },
                        ".slnx" => await OpenSlnxAsync(workspace, path, cancellationToken).ConfigureAwait(false),
                        _ => (await workspace.OpenSolutionAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false)).Projects.ToList(),
                    };
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new InputException(ExitCodes.LoadFailure, $"cannot load {path}: {OneLine(e.Message)}");
                }

                foreach (var diagnostic in workspace.Diagnostics.Where(d => d.Kind == WorkspaceDiagnosticKind.Failure))
                {
                    // A project MSBuild could not evaluate gives wrong references, so wrong layouts. In a solution the
                    // others are still worth auditing (a solution often holds projects of other languages).
                    if (isProject)
                    {
                        throw new InputException(ExitCodes.LoadFailure, $"cannot load the project {path}: {OneLine(diagnostic.Message)}");
                    }

                    logger.LogWarning("MSBuild: {Message}", OneLine(diagnostic.Message));
                }

                var csharp = projects
                    .Where(p => p.Language == LanguageNames.CSharp && p.FilePath is not null)
                    .GroupBy(p => p.FilePath!, StringComparer.Ordinal)
                    .Select(g => g.First())
                    .OrderBy(p => p.FilePath, StringComparer.Ordinal)
                    .ToList();
                if (csharp.Count == 0)
                {
                    throw new InputException(ExitCodes.LoadFailure, $"{path} has no C# project that loads");
                }

                logger.LogInformation("MSBuild loaded {Count} C# projects in {Seconds:F2} s", csharp.Count, watch.Elapsed.TotalSeconds);
                return new AuditWorkspace(workspace, csharp, watch.Elapsed);
            }
            catch
            {
                workspace.Dispose();
                throw;
            }
        }

        /// <summary>The C# projects an XML solution lists. This MSBuildWorkspace reads only the classic .sln format, and the
        /// SDK's <c>dotnet new sln</c> writes .slnx: each listed project is opened (with the projects it references).</summary>
        private static async Task<List<Project>> OpenSlnxAsync(MSBuildWorkspace workspace, string path, CancellationToken cancellationToken)
        {
            List<string> listed;
            try
            {
                string folder = Path.GetDirectoryName(path)!;
                listed = XDocument.Load(path).Descendants("Project")
                    .Select(p => (string?)p.Attribute("Path"))
                    .Where(p => p is not null && p.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
                    .Select(p => Path.GetFullPath(Path.Combine(folder, p!.Replace('\\', Path.DirectorySeparatorChar))))
                    .Distinct(StringComparer.Ordinal)
                    .ToList();
            }
            catch (XmlException e)
            {
                throw new InputException(ExitCodes.LoadFailure, $"cannot load {path}: {OneLine(e.Message)}");
            }

            var projects = new List<Project>();
            foreach (string project in listed)
            {
                // A project already opened as another's reference is in the solution: opening it again would fail.
                var opened = workspace.CurrentSolution.Projects.Where(p => string.Equals(p.FilePath, project, StringComparison.Ordinal)).ToList();
                if (opened.Count == 0)
                {
                    await workspace.OpenProjectAsync(project, cancellationToken: cancellationToken).ConfigureAwait(false);
                    opened = workspace.CurrentSolution.Projects.Where(p => string.Equals(p.FilePath, project, StringComparison.Ordinal)).ToList();
                }

                projects.AddRange(opened);
            }

            return projects;
        }

        internal static string OneLine(string text) =>
            string.Join(" ", text.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim())).Trim();
    }
}
