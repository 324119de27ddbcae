using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
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

        private static string ReadSource(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputException(ExitCodes.LoadFailure, $"cannot read {path}: {e.Message}");
            }
        }

        private LoadedInput LoadAssembly(string path)
        {
            try
            {
                using var stream = File.OpenRead(path);
                using var pe = new PEReader(stream);
                if (!pe.HasMetadata || !pe.GetMetadataReader().IsAssembly)
                {
                    throw new InputException(ExitCodes.LoadFailure, $"not a .NET assembly: {path}");
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
                using var pe = new PEReader(stream);
                return pe.HasMetadata && pe.GetMetadataReader().IsAssembly;
            }
            catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException)
            {
                return false;
            }
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
