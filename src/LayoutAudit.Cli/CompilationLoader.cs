using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Build.Locator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.MSBuild;
using Microsoft.Extensions.Logging;

namespace LayoutAudit.Cli
{
    /// <summary>What an input becomes: a compilation and the assembly whose types are to be laid out.</summary>
    public sealed record LoadedInput(Compilation Compilation, IAssemblySymbol Assembly, string Description);

    /// <summary>Turns a .dll, a .csproj or .cs files into a compilation.</summary>
    public sealed class CompilationLoader
    {
        private static readonly object s_locatorGate = new();
        private readonly ILogger _logger;

        public CompilationLoader(ILogger logger) => _logger = logger;

        public async Task<LoadedInput> LoadAsync(IReadOnlyList<string> inputs, CancellationToken cancellationToken)
        {
            if (inputs.Count == 0)
            {
                throw new InputException(ExitCodes.BadInput, "no input: give a .dll, a .csproj or .cs files");
            }

            foreach (string input in inputs)
            {
                if (!File.Exists(input))
                {
                    throw new InputException(ExitCodes.BadInput, Directory.Exists(input) ? $"'{input}' is a directory: give a .dll, a .csproj or .cs files" : $"file not found: {input}");
                }
            }

            var kinds = inputs.Select(i => Path.GetExtension(i).ToLowerInvariant()).Distinct().ToList();
            if (kinds.Count == 1 && kinds[0] == ".cs")
            {
                return LoadSources(inputs, cancellationToken);
            }

            if (inputs.Count == 1 && kinds[0] == ".dll")
            {
                return LoadAssembly(inputs[0]);
            }

            if (inputs.Count == 1 && kinds[0] == ".csproj")
            {
                return await LoadProjectAsync(inputs[0], cancellationToken).ConfigureAwait(false);
            }

            throw new InputException(ExitCodes.BadInput, $"unsupported input: {string.Join(", ", inputs)} (give one .dll, one .csproj, or .cs files)");
        }

        /// <summary>The running runtime's implementation assemblies: framework structs get their real layouts.</summary>
        private static IEnumerable<MetadataReference> RuntimeReferences()
        {
            string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
            string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            return trusted.Split(Path.PathSeparator)
                .Where(p => p.Length > 0 && string.Equals(Path.GetDirectoryName(p), runtimeDirectory, StringComparison.Ordinal))
                .Select(p => MetadataReference.CreateFromFile(p));
        }

        private LoadedInput LoadSources(IReadOnlyList<string> paths, CancellationToken cancellationToken)
        {
            var options = new CSharpParseOptions(LanguageVersion.Preview);
            var trees = paths.Select(p => CSharpSyntaxTree.ParseText(ReadSource(p), options, p, cancellationToken: cancellationToken)).ToList();
            var compilation = CSharpCompilation.Create(
                "Sources",
                trees,
                RuntimeReferences(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
            ReportErrors(compilation, cancellationToken);
            return new LoadedInput(compilation, compilation.Assembly, string.Join(", ", paths));
        }

        /// <summary>The largest .cs file <c>layout</c> reads (documented in docs/cli.md); a bigger one is refused before it is read.</summary>
        public const int MaxSourceBytes = 64 * 1024 * 1024;

        private static string ReadSource(string path)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
                if (stream.CanSeek && stream.Length > MaxSourceBytes)
                {
                    throw SourceTooLarge(path);
                }

                // Bounded even when the length says nothing (a device, a pipe): a character takes at least one byte.
                using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
                var text = new StringBuilder();
                var chunk = new char[81920];
                int read;
                while ((read = reader.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if (text.Length + read > MaxSourceBytes)
                    {
                        throw SourceTooLarge(path);
                    }

                    text.Append(chunk, 0, read);
                }

                return text.ToString();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputException(ExitCodes.LoadFailure, $"cannot read {path}: {e.Message}");
            }
        }

        private static InputException SourceTooLarge(string path) =>
            new(ExitCodes.LoadFailure, $"{path} is larger than {MaxSourceBytes / (1024 * 1024)} MB, the most a source file given to layout may be");

        private LoadedInput LoadAssembly(string path)
        {
            try
            {
                using var stream = File.OpenRead(path);

                // A file that fails when read must say so, not pass for a non-assembly: PEReader goes by the length,
                // and some unreadable files (in /proc) say they are empty.
                stream.ReadByte();
                stream.Position = 0;
                if (AssemblyProblem(stream) is { } problem)
                {
                    throw new InputException(ExitCodes.LoadFailure, $"{problem}: {path}");
                }
            }
            catch (BadImageFormatException)
            {
                throw new InputException(ExitCodes.LoadFailure, $"not a .NET assembly: {path}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputException(ExitCodes.LoadFailure, $"cannot read {path}: {e.Message}");
            }

            var target = MetadataReference.CreateFromFile(path);
            string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var runtime = RuntimeReferences().ToList();
            var runtimeNames = new HashSet<string>(runtime.Select(r => Path.GetFileName(r.Display ?? "")), StringComparer.OrdinalIgnoreCase);

            // The assembly's neighbours are its likely dependencies; the runtime's own copies win.
            var neighbours = Directory.GetFiles(folder, "*.dll")
                .Where(p => !string.Equals(Path.GetFullPath(p), Path.GetFullPath(path), StringComparison.Ordinal) && !runtimeNames.Contains(Path.GetFileName(p)) && IsAssembly(p))
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
            var compilation = CSharpCompilation.Create(
                "LayoutAuditReader",
                references: runtime.Concat(neighbours).Append(target),
                options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary).WithMetadataImportOptions(MetadataImportOptions.All));
            if (compilation.GetAssemblyOrModuleSymbol(target) is not IAssemblySymbol assembly)
            {
                throw new InputException(ExitCodes.LoadFailure, $"cannot load the assembly {path}");
            }

            return new LoadedInput(compilation, assembly, path);
        }

        private static bool IsAssembly(string path)
        {
            try
            {
                using var stream = File.OpenRead(path);
                return AssemblyProblem(stream) is null;
            }
            catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        /// <summary>
        /// Why the stream is not a complete .NET assembly, or null when it is one. A cut file is refused here: Roslyn
        /// reads metadata lazily, so a file whose sections end past its length would fail later, mid-report.
        /// </summary>
        /// <exception cref="BadImageFormatException">The headers are not those of a PE file.</exception>
        internal static string? AssemblyProblem(Stream stream)
        {
            using var pe = new PEReader(stream, PEStreamOptions.LeaveOpen);
            if (!pe.HasMetadata)
            {
                return "not a .NET assembly";
            }

            long end = 0;
            foreach (var section in pe.PEHeaders.SectionHeaders)
            {
                end = Math.Max(end, (long)section.PointerToRawData + section.SizeOfRawData);
            }

            if (end > stream.Length)
            {
                return $"a truncated .NET assembly ({stream.Length:N0} bytes, its sections need {end:N0})";
            }

            return pe.GetMetadataReader().IsAssembly ? null : "not a .NET assembly (a module without a manifest)";
        }

        /// <summary>Registers the SDK's MSBuild once per process; call before touching any MSBuild or MSBuildWorkspace type.</summary>
        internal static void EnsureMSBuildRegistered()
        {
            lock (s_locatorGate)
            {
                if (!MSBuildLocator.IsRegistered)
                {
                    MSBuildLocator.RegisterDefaults();
                }
            }
        }

        private async Task<LoadedInput> LoadProjectAsync(string path, CancellationToken cancellationToken)
        {
            AuditWorkspace.CheckProjectSize(path);
            EnsureMSBuildRegistered();
            return await OpenProjectAsync(path, cancellationToken).ConfigureAwait(false);
        }

        // Kept separate so that no MSBuild type is touched before the locator has registered MSBuild.
        private async Task<LoadedInput> OpenProjectAsync(string path, CancellationToken cancellationToken)
        {
            using var workspace = MSBuildWorkspace.Create();
            Project project;
            try
            {
                project = await workspace.OpenProjectAsync(Path.GetFullPath(path), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InputException(ExitCodes.LoadFailure, $"cannot load the project {path}: {e.Message}");
            }

            var failure = workspace.Diagnostics.FirstOrDefault(d => d.Kind == WorkspaceDiagnosticKind.Failure);
            if (failure is not null)
            {
                // A project MSBuild could not evaluate would give wrong references, so wrong layouts: stop.
                string message = string.Join(" ", failure.Message.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries)).Trim();
                throw new InputException(ExitCodes.LoadFailure, $"cannot load the project {path}: {message}");
            }

            var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InputException(ExitCodes.LoadFailure, $"the project {path} has no C# compilation");
            ReportErrors(compilation, cancellationToken);
            return new LoadedInput(compilation, compilation.Assembly, path);
        }

        private void ReportErrors(Compilation compilation, CancellationToken cancellationToken)
        {
            var errors = compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                _logger.LogWarning("the code has {Count} compile errors; types that depend on them get no layout (first: {First})", errors.Count, errors[0].ToString());
            }
        }
    }
}
