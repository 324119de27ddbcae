using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using LayoutAudit.Core;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LayoutAudit.Generator
{
    /// <summary>Turns one <c>[AuditLayout]</c> declaration into an <see cref="AuditedType"/>: the transform step of
    /// the pipeline, the only place that sees symbols.</summary>
    internal static class AuditedTypeParser
    {
        public const string AttributeMetadataName = "LayoutAudit.AuditLayoutAttribute";
        public const string RegistrationMetadataName = "LayoutAudit.PredictedLayoutAttribute";

        /// <summary>Class, struct, record and record struct declarations (the attribute's targets).</summary>
        public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
            node is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax;

        public static AuditedType? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (!IsFirstAnnotatedDeclaration(context))
            {
                return null;
            }

            var version = DeclarationVersion.For(context.SemanticModel.Compilation, cancellationToken);
            var declaration = context.TargetNode;
            if (!version.TryLocate(declaration.SyntaxTree, declaration.SpanStart, out int tree, out int part))
            {
                return Compute(context, cancellationToken);
            }

            if (AuditedTypeCache.TryGet(version, declaration, tree, part, out var known))
            {
                return known;
            }

            var model = Compute(context, cancellationToken);
            var dependencies = model is { Problem: null } && context.TargetSymbol is INamedTypeSymbol type
                ? DependencyWalk.Of(type, version, cancellationToken)
                : null;
            AuditedTypeCache.Add(version, declaration, tree, part, dependencies, model);
            return model;
        }

        /// <summary>A type declared more than once (partial parts, or a name declared twice by mistake) gets one file:
        /// only its first declaration that carries the attribute is parsed. A second file of the same name would make
        /// the generator throw; the compiler reports the repeated attribute (CS0579) or type (CS0101) itself.</summary>
        private static bool IsFirstAnnotatedDeclaration(GeneratorAttributeSyntaxContext context)
        {
            if (context.TargetSymbol is not INamedTypeSymbol { DeclaringSyntaxReferences.Length: > 1 } type || context.Attributes.IsEmpty)
            {
                return true;
            }

            var attributeClass = context.Attributes[0].AttributeClass;
            var attributes = type.GetAttributes();
            foreach (var declaration in type.DeclaringSyntaxReferences)
            {
                foreach (var attribute in attributes)
                {
                    if (attribute.ApplicationSyntaxReference is { } application
                        && application.SyntaxTree == declaration.SyntaxTree
                        && declaration.Span.Contains(application.Span)
                        && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeClass))
                    {
                        return declaration.SyntaxTree == context.TargetNode.SyntaxTree && declaration.Span == context.TargetNode.Span;
                    }
                }
            }

            return true;
        }

        private static AuditedType? Compute(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type)
            {
                return null;
            }

            var compilation = context.SemanticModel.Compilation;
            var result = LayoutEngine.For(compilation).Compute(type, cancellationToken);
            LocationInfo? problemLocation = null;
            if (result.Problem is not null && !CompilerReportsIt(type, context, cancellationToken))
            {
                var node = (TypeDeclarationSyntax)context.TargetNode;
                problemLocation = LocationInfo.From(node.Identifier.GetLocation());
            }

            var names = CompilationNames.For(compilation);
            string ns = names.Namespace(type.ContainingNamespace);
            string name = NameInNamespace(type);
            return new AuditedType(
                ns,
                name,
                result.Layout?.Name ?? TypeNames.Reflection(type),
                CanUseTypeOf(type) ? "global::" + (ns.Length == 0 ? name : ns + "." + name) : null,
                ReadOptions(context.Attributes),
                result.Layout,
                result.Problem,
                problemLocation,
                names.CanRegister);
        }

        /// <summary>What every audited type of a compilation asks alike, computed once: namespaces' names (a project has
        /// few) and whether the registration attribute exists.</summary>
        private sealed class CompilationNames
        {
            private static readonly ConditionalWeakTable<Compilation, CompilationNames> s_byCompilation = new();
            private readonly Dictionary<INamespaceSymbol, string> _namespaces = new(SymbolEqualityComparer.Default);

            private CompilationNames(Compilation compilation) =>
                CanRegister = compilation.GetTypeByMetadataName(RegistrationMetadataName) is not null;

            public bool CanRegister { get; }

            public static CompilationNames For(Compilation compilation) => s_byCompilation.GetValue(compilation, c => new CompilationNames(c));

            /// <summary>The namespace as C# writes it (keywords escaped), empty for the global namespace.</summary>
            public string Namespace(INamespaceSymbol? ns)
            {
                if (ns is null || ns.IsGlobalNamespace)
                {
                    return "";
                }

                lock (_namespaces)
                {
                    if (!_namespaces.TryGetValue(ns, out string? name))
                    {
                        name = ns.ToDisplayString();
                        _namespaces[ns] = name;
                    }

                    return name;
                }
            }
        }

        /// <summary>The type as C# names it inside its namespace; for a type <c>typeof</c> can name (not generic), the
        /// fully qualified name is <c>global::</c>, the namespace and this, as both formats escape keywords alike.</summary>
        private static string NameInNamespace(INamedTypeSymbol type)
        {
            string name = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            return type.ContainingType is { } outer ? NameInNamespace(outer) + "." + name : name;
        }

        private static AuditOptions ReadOptions(System.Collections.Immutable.ImmutableArray<AttributeData> attributes)
        {
            if (attributes.IsDefaultOrEmpty || attributes[0].NamedArguments.IsEmpty)
            {
                return AuditOptions.Default;
            }

            var options = AuditOptions.Default;
            foreach (var argument in attributes[0].NamedArguments)
            {
                if (argument.Value.Value is not int value)
                {
                    continue;
                }

                options = argument.Key switch
                {
                    "CacheLineSize" => options with { CacheLineSize = value > 0 ? value : 0 },
                    "PaddingBudget" => options with { PaddingBudget = value >= 0 ? value : -1 },
                    "MaxSize" => options with { MaxSize = value >= 0 ? value : -1 },
                    _ => options,
                };
            }

            return options;
        }

        /// <summary>An assembly attribute can say <c>typeof(T)</c> only for a type every part of the assembly sees, and
        /// the open form of a generic type needs the type arguments' count: such types are registered by name.</summary>
        private static bool CanUseTypeOf(INamedTypeSymbol type)
        {
            for (var current = type; current is not null; current = current.ContainingType)
            {
                if (current.IsGenericType || current.IsFileLocal
                    || current.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Whether the compiler already reports why the type has no layout: an unresolved type among its
        /// fields, or an error in its declaration (such as an explicit-layout field without [FieldOffset]).</summary>
        private static bool CompilerReportsIt(INamedTypeSymbol type, GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (HoldsErrorType(type, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default), genericDepth: 0))
            {
                return true;
            }

            foreach (var diagnostic in context.SemanticModel.GetDeclarationDiagnostics(context.TargetNode.Span, cancellationToken))
            {
                if (diagnostic.Severity == DiagnosticSeverity.Error)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Generic structs nested deeper than this are a generic that expands forever (Exp&lt;Exp&lt;T&gt;&gt;): every
        /// level is a new instantiation, so only a bound stops the walk before the stack overflows.</summary>
        private const int MaxGenericNesting = 64;

        private static bool HoldsErrorType(ITypeSymbol type, HashSet<ITypeSymbol> seen, int genericDepth)
        {
            if (type.TypeKind == TypeKind.Error)
            {
                return true;
            }

            if (type is not INamedTypeSymbol named || !seen.Add(type))
            {
                return false;
            }

            if (named.IsGenericType && ++genericDepth > MaxGenericNesting)
            {
                return false;
            }

            foreach (var argument in named.TypeArguments)
            {
                if (HoldsErrorType(argument, seen, genericDepth))
                {
                    return true;
                }
            }

            // Classes lay out their base class's fields first; structs lay out nested structs inline.
            if (named.BaseType is { TypeKind: TypeKind.Class or TypeKind.Error } baseType && HoldsErrorType(baseType, seen, genericDepth))
            {
                return true;
            }

            foreach (var member in named.GetMembers())
            {
                if (member is IFieldSymbol { IsStatic: false } field
                    && (field.Type.TypeKind == TypeKind.Error || (field.Type.IsValueType && HoldsErrorType(field.Type, seen, genericDepth))))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
