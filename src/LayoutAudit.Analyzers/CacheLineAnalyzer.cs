using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using LayoutAudit.Core;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LayoutAudit.Analyzers
{
    /// <summary>LA0003: a field of an <c>[AuditLayout]</c> type that straddles a cache-line boundary, and fields marked
    /// <c>[WrittenBy]</c> different threads that are close enough to share a cache line (false sharing).</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class CacheLineAnalyzer : DiagnosticAnalyzer
    {
        public const string Id = "LA0003";

        public const string WrittenByMetadataName = "LayoutAudit.WrittenByAttribute";

        private const string Title = "Cache-line layout problem";

        public static readonly DiagnosticDescriptor Straddles = new(
            Id,
            Title,
            "Field '{0}' ({1} bytes at offset {2}) straddles the {3}-byte cache-line boundary at byte {4} of '{5}'",
            RuleHelp.LayoutCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Reading or writing a field that spans two cache lines touches both lines; an atomic access to it can be split or slow.",
            helpLinkUri: RuleHelp.LinkFor(Id));

        public static readonly DiagnosticDescriptor FalseSharing = new(
            Id,
            Title,
            "Field '{0}' (written by '{1}') is {2} bytes from field '{3}' (written by '{4}'), less than a {5}-byte cache line: the two threads' writes can share a line (false sharing)",
            RuleHelp.LayoutCategory,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Fields written by different threads should be at least a cache line apart, or every write by one thread invalidates the line the other is using.",
            helpLinkUri: RuleHelp.LinkFor(Id));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Straddles, FalseSharing);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var auditLayout = start.Compilation.GetTypeByMetadataName(AuditLayoutSettings.MetadataName);
                var writtenBy = start.Compilation.GetTypeByMetadataName(WrittenByMetadataName);
                if (auditLayout is null && writtenBy is null)
                {
                    return;
                }

                start.RegisterSymbolAction(context => Analyze(context, auditLayout, writtenBy), SymbolKind.NamedType);
            });
        }

        private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol? auditLayout, INamedTypeSymbol? writtenBy)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind is not (TypeKind.Struct or TypeKind.Class) || type.Locations.FirstOrDefault(l => l.IsInSource) is not { } typeLocation)
            {
                return;
            }

            var settings = auditLayout is null ? null : AuditLayoutSettings.Find(type, auditLayout);
            var writers = writtenBy is null ? new Dictionary<string, string>() : Writers(type, writtenBy);
            if (settings is null && writers.Count == 0)
            {
                return;
            }

            if (LayoutEngine.For(context.Compilation).Compute(type, context.CancellationToken).Layout is not { } layout)
            {
                return;
            }

            int lineSize = settings?.CacheLineSize
                ?? AnalyzerSettings.GetPositiveInt(context.Options, typeLocation.SourceTree, AnalyzerSettings.CacheLineSizeKey, AnalyzerSettings.DefaultCacheLineSize);
            var fieldSymbols = FieldSymbolsByKey(type);
            string typeName = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

            if (settings is not null)
            {
                // Offsets of a class count from the object reference; cache lines are counted from the object's
                // start, its header, one pointer earlier.
                int origin = layout.Category == TypeCategory.Class ? layout.PointerSize : 0;
                foreach (var field in layout.Fields)
                {
                    int start = field.Offset + origin;
                    int last = start + field.Size - 1;
                    if (field.Size > 0 && field.Size <= lineSize && start / lineSize != last / lineSize)
                    {
                        int boundary = (last / lineSize) * lineSize;
                        var symbol = Lookup(fieldSymbols, field);
                        context.ReportDiagnostic(Diagnostic.Create(Straddles, LocationOf(symbol, type, typeLocation), NameOf(symbol, field), field.Size, field.Offset, lineSize, boundary, typeName));
                    }
                }
            }

            ReportFalseSharing(context, type, layout, writers, fieldSymbols, lineSize, typeLocation);
        }

        private static void ReportFalseSharing(SymbolAnalysisContext context, INamedTypeSymbol type, TypeLayout layout, Dictionary<string, string> writers, Dictionary<string, IFieldSymbol> fieldSymbols, int lineSize, Location typeLocation)
        {
            var marked = layout.Fields.Where(f => writers.ContainsKey(Key(f.DeclaringType, f.Name))).OrderBy(f => f.Offset).ToList();
            for (int later = 1; later < marked.Count; later++)
            {
                for (int earlier = 0; earlier < later; earlier++)
                {
                    context.CancellationToken.ThrowIfCancellationRequested();
                    var first = marked[earlier];
                    var second = marked[later];
                    string firstWriter = writers[Key(first.DeclaringType, first.Name)];
                    string secondWriter = writers[Key(second.DeclaringType, second.Name)];
                    // Instances are only pointer-aligned, so any two bytes less than a line apart can land on one line.
                    int gap = Math.Max(0, second.Offset - first.End);
                    if (string.Equals(firstWriter, secondWriter, StringComparison.Ordinal) || gap >= lineSize)
                    {
                        continue;
                    }

                    var secondSymbol = Lookup(fieldSymbols, second);
                    context.ReportDiagnostic(Diagnostic.Create(
                        FalseSharing,
                        LocationOf(secondSymbol, type, typeLocation),
                        NameOf(secondSymbol, second),
                        secondWriter,
                        gap,
                        NameOf(Lookup(fieldSymbols, first), first),
                        firstWriter,
                        lineSize));
                }
            }
        }

        /// <summary>The <c>[WrittenBy]</c> name of each marked instance field of the type and its base classes.</summary>
        private static Dictionary<string, string> Writers(INamedTypeSymbol type, INamedTypeSymbol writtenBy)
        {
            var writers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var field in InstanceFields(type))
            {
                foreach (var attribute in field.GetAttributes())
                {
                    if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, writtenBy)
                        && attribute.ConstructorArguments.Length == 1
                        && attribute.ConstructorArguments[0].Value is string writer
                        && writer.Length > 0)
                    {
                        writers[Key(TypeNames.Reflection(field.ContainingType), field.Name)] = writer;
                    }
                }
            }

            return writers;
        }

        private static Dictionary<string, IFieldSymbol> FieldSymbolsByKey(INamedTypeSymbol type)
        {
            var fields = new Dictionary<string, IFieldSymbol>(StringComparer.Ordinal);
            foreach (var field in InstanceFields(type))
            {
                fields[Key(TypeNames.Reflection(field.ContainingType), field.Name)] = field;
            }

            return fields;
        }

        private static IEnumerable<IFieldSymbol> InstanceFields(INamedTypeSymbol type)
        {
            for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is IFieldSymbol { IsStatic: false, IsConst: false } field)
                    {
                        yield return field;
                    }
                }
            }
        }

        private static string Key(string declaringType, string fieldName) => declaringType + "::" + fieldName;

        private static IFieldSymbol? Lookup(Dictionary<string, IFieldSymbol> fields, FieldLayout field) =>
            fields.TryGetValue(Key(field.DeclaringType, field.Name), out var symbol) ? symbol : null;

        private static string NameOf(IFieldSymbol? symbol, FieldLayout field) => symbol?.AssociatedSymbol?.Name ?? symbol?.Name ?? field.Name;

        /// <summary>The field's (or its auto-property's) declaration, when it is in source; otherwise the type's.</summary>
        private static Location LocationOf(IFieldSymbol? symbol, INamedTypeSymbol type, Location fallback)
        {
            // An inherited field is reported on the derived type, which is what the layout belongs to.
            var declared = SymbolEqualityComparer.Default.Equals(symbol?.ContainingType, type) ? (ISymbol?)symbol!.AssociatedSymbol ?? symbol : null;
            return declared?.Locations.FirstOrDefault(l => l.IsInSource) ?? fallback;
        }
    }
}
