using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LayoutAudit.Core;
using LayoutAudit.Reports;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace LayoutAudit.Cli
{
    /// <summary>The <c>layout-audit</c> command line: parsing, dispatch, and the one-line error contract.</summary>
    public static class LayoutAuditCommand
    {
        private const string AuditLayoutAttribute = "LayoutAudit.AuditLayoutAttribute";

        public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
        {
            // Set once --verbosity is parsed: an internal error shows its stack trace only at Debug or Trace.
            bool diagnostic = false;
            try
            {
                return await RunCommandAsync(args, stdout, stderr, level => diagnostic = level <= LogLevel.Debug, cancellationToken).ConfigureAwait(false);
            }
            catch (InputException e)
            {
                await ReportAsync(stderr, "layout-audit: error: " + Shorten(AuditWorkspace.OneLine(e.Message))).ConfigureAwait(false);
                return e.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await ReportAsync(stderr, "layout-audit: cancelled").ConfigureAwait(false);
                return ExitCodes.Cancelled;
            }
            catch (OperationCanceledException)
            {
                // Not the user's cancellation: a load that timed out.
                await ReportAsync(stderr, "layout-audit: error: loading was cancelled").ConfigureAwait(false);
                return ExitCodes.LoadFailure;
            }
            catch (Exception e)
            {
                // A fault of the tool, not of the input: still one line, with the details only on request.
                string message = Shorten(AuditWorkspace.OneLine(e.Message));
                await ReportAsync(
                    stderr,
                    "layout-audit: internal error: " + (message.Length == 0 ? "no message" : message) + (diagnostic ? "" : " (--verbosity Debug shows where)"),
                    diagnostic ? e.ToString() : null).ConfigureAwait(false);
                return ExitCodes.InternalError;
            }
        }

        /// <summary>Error messages quote what they were given (MSBuild lists every unclosed element of a 100,000-deep project): keep the line readable.</summary>
        internal static string Shorten(string message)
        {
            if (message.Length <= MaxMessageLength)
            {
                return message;
            }

            int length = char.IsHighSurrogate(message[MaxMessageLength - 1]) ? MaxMessageLength - 1 : MaxMessageLength;
            return message.Substring(0, length) + "…";
        }

        private const int MaxMessageLength = 1000;

        /// <summary>Writes the error; when standard error itself fails there is nothing left to tell, and the exit code still says it.</summary>
        private static async Task ReportAsync(TextWriter stderr, string line, string? details = null)
        {
            try
            {
                await stderr.WriteLineAsync(line).ConfigureAwait(false);
                if (details is not null)
                {
                    await stderr.WriteLineAsync(details).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException or InvalidOperationException)
            {
            }
        }

        private static async Task<int> RunCommandAsync(string[] args, TextWriter stdout, TextWriter stderr, Action<LogLevel> verbosityRead, CancellationToken cancellationToken)
        {
            var verbosity = new Option<LogLevel>("--verbosity", "-v")
            {
                Description = "Log level on stderr: Trace, Debug, Information, Warning, Error, None.",
                DefaultValueFactory = _ => LogLevel.Warning,
                Recursive = true,
            };
            var inputs = new Argument<string[]>("inputs") { Description = "A .dll, a .csproj, or .cs files.", Arity = ArgumentArity.OneOrMore };
            var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "json");
            var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output." };
            var allTypes = new Option<bool>("--all-types") { Description = "Every struct and class, not only the [AuditLayout] ones." };
            var pointerSize = new Option<int?>("--pointer-size") { Description = "Predict for 8 (64-bit) or 4 (32-bit) byte pointers; default: the compilation's platform." };
            pointerSize.AcceptOnlyFromAmong("4", "8");

            var layout = new Command("layout", "Print the exact CLR layout of types: size, alignment, each field's offset, every padding hole.")
            {
                inputs, format, output, allTypes, pointerSize,
            };
            var audit = new AuditCommand();
            var diff = new DiffCommand();
            var root = new RootCommand("LayoutAudit: exact CLR memory layouts, checked at build time.") { verbosity, layout, audit.Command, diff.Command };

            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                string message = string.Join(" ", parsed.Errors[0].Message.Split(new[] { '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()));
                await stderr.WriteLineAsync("layout-audit: error: " + Shorten(message)).ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            verbosityRead(parsed.GetValue(verbosity));
            var command = parsed.CommandResult.Command;
            if (command != layout && command != audit.Command && command != diff.Command)
            {
                // Help, version and the bare root command are System.CommandLine's to print.
                return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
            }

            // Logs go to standard error: standard output carries the report.
            using var loggerFactory = LoggerFactory.Create(b => b
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .AddSimpleConsole(o => o.SingleLine = true)
                .SetMinimumLevel(parsed.GetValue(verbosity)));
            var logger = loggerFactory.CreateLogger("layout-audit");
            if (command == audit.Command)
            {
                return await audit.RunAsync(parsed, stdout, stderr, logger, cancellationToken).ConfigureAwait(false);
            }

            if (command == diff.Command)
            {
                return await diff.RunAsync(parsed, stdout).ConfigureAwait(false);
            }

            var request = new LayoutRequest(
                parsed.GetValue(inputs) ?? Array.Empty<string>(),
                parsed.GetValue(format) ?? "text",
                parsed.GetValue(output),
                parsed.GetValue(allTypes),
                parsed.GetValue(pointerSize));
            return await RunLayoutAsync(request, stdout, logger, cancellationToken).ConfigureAwait(false);
        }

        private static async Task<int> RunLayoutAsync(LayoutRequest request, TextWriter stdout, ILogger logger, CancellationToken cancellationToken)
        {
            var loaded = await new CompilationLoader(logger).LoadAsync(request.Inputs, cancellationToken).ConfigureAwait(false);
            var target = request.PointerSize switch
            {
                4 => TargetPlatform.X86,
                8 => TargetPlatform.X64,
                _ => TargetPlatform.FromCompilation(loaded.Compilation),
            };
            var engine = new LayoutEngine(loaded.Compilation, target);
            var types = SelectTypes(loaded.Assembly, request.AllTypes).ToList();
            logger.LogInformation("{Count} types from {Input}", types.Count, loaded.Description);

            var layouts = new List<TypeLayout>();
            var problems = new List<LayoutProblem>();
            foreach (var type in types)
            {
                var result = engine.Compute(type, cancellationToken);
                if (result.Layout is { } layout)
                {
                    layouts.Add(layout);
                }
                else if (result.Problem is { } problem)
                {
                    problems.Add(problem);
                }
            }

            string text = request.Format == "json"
                ? JsonReport.Write(layouts, problems)
                : string.Concat(layouts.Select(l => TextReport.Render(l) + Environment.NewLine).Concat(problems.Select(TextReport.Render)));
            if (types.Count == 0 && request.Format == "text")
            {
                text = request.AllTypes
                    ? "no structs or classes found" + Environment.NewLine
                    : "no [AuditLayout] types found (use --all-types for every struct and class)" + Environment.NewLine;
            }

            await ReportOutput.WriteAsync(request.Output, text, stdout).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        /// <summary>[AuditLayout] types, or with --all-types every non-generic struct and class a user wrote.</summary>
        internal static IEnumerable<INamedTypeSymbol> SelectTypes(IAssemblySymbol assembly, bool allTypes)
        {
            foreach (var type in AllTypes(assembly.GlobalNamespace))
            {
                if (type.TypeKind is not (TypeKind.Struct or TypeKind.Class) || type.IsImplicitlyDeclared || type.Name.Contains('<') || type.Name.Length == 0)
                {
                    continue;
                }

                // An annotated type the engine cannot lay out (a static class, an open generic) is still selected, so
                // that the report says why it has no layout, as the generator's LA0010 does.
                bool annotated = type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == AuditLayoutAttribute);
                if (annotated || (allTypes && !type.IsStatic && type.Arity == 0 && !IsInsideGeneric(type)))
                {
                    yield return type;
                }
            }
        }

        private static bool IsInsideGeneric(INamedTypeSymbol type) => type.ContainingType is { } outer && (outer.Arity > 0 || IsInsideGeneric(outer));

        private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceOrTypeSymbol container)
        {
            foreach (var member in container.GetMembers().OrderBy(m => m.MetadataName, StringComparer.Ordinal))
            {
                if (member is INamespaceSymbol ns)
                {
                    foreach (var type in AllTypes(ns))
                    {
                        yield return type;
                    }
                }
                else if (member is INamedTypeSymbol type)
                {
                    yield return type;
                    foreach (var nested in AllTypes(type))
                    {
                        yield return nested;
                    }
                }
            }
        }

        private sealed record LayoutRequest(IReadOnlyList<string> Inputs, string Format, string? Output, bool AllTypes, int? PointerSize);
    }
}
