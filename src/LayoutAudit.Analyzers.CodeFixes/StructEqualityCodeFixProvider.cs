using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace LayoutAudit.Analyzers.CodeFixes
{
    /// <summary>LA0005: gives the key struct value equality, either by generating <c>IEquatable&lt;T&gt;</c>,
    /// <c>Equals</c> and <c>GetHashCode</c> over its fields, or by making it a <c>record struct</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StructEqualityCodeFixProvider)), Shared]
    public sealed class StructEqualityCodeFixProvider : CodeFixProvider
    {
        public const string GenerateMembersKey = "LA0005.GenerateEqualityMembers";
        public const string RecordStructKey = "LA0005.MakeRecordStruct";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(StructKeyEqualityAnalyzer.Id);

        // Several uses of one struct report the same declaration: the fixes are not merged, so no Fix All.
        public override FixAllProvider? GetFixAllProvider() => null;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (diagnostic.AdditionalLocations.Count == 0 || context.Document.Project.Solution.GetDocument(diagnostic.AdditionalLocations[0].SourceTree) is not { } structDocument)
                {
                    continue;
                }

                var root = await structDocument.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
                if (root?.FindToken(diagnostic.AdditionalLocations[0].SourceSpan.Start).Parent?.FirstAncestorOrSelf<StructDeclarationSyntax>() is not { } declaration)
                {
                    continue;
                }

                var model = await structDocument.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
                if (model?.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } type)
                {
                    continue;
                }

                string name = declaration.Identifier.ValueText;
                if (CanGenerateMembers(type, declaration))
                {
                    context.RegisterCodeFix(
                        CodeAction.Create($"Implement IEquatable<{name}> and GetHashCode", ct => GenerateMembersAsync(structDocument, declaration, ct), GenerateMembersKey),
                        diagnostic);
                }

                if (CanBeRecord(type, declaration))
                {
                    context.RegisterCodeFix(
                        CodeAction.Create($"Make '{name}' a record struct", ct => MakeRecordAsync(structDocument, declaration, ct), RecordStructKey),
                        diagnostic);
                }
            }
        }

        /// <summary>Every field must be nameable: no fixed buffers, no primary-constructor parameters stored as fields.</summary>
        private static bool CanGenerateMembers(INamedTypeSymbol type, StructDeclarationSyntax declaration) =>
            declaration.ParameterList is null
            && type.DeclaringSyntaxReferences.Length >= 1
            && !InstanceFields(type).Any(f => f.IsFixedSizeBuffer);

        private static bool CanBeRecord(INamedTypeSymbol type, StructDeclarationSyntax declaration) =>
            type.DeclaringSyntaxReferences.Length == 1
            && declaration.ParameterList is null
            && ((CSharpParseOptions)declaration.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp10
            // A record struct synthesizes these; declaring them yourself is an error.
            && !type.GetMembers("Equals").OfType<IMethodSymbol>().Any(m => m.Parameters.Length == 1 && m.Parameters[0].Type.SpecialType == SpecialType.System_Object)
            && !type.GetMembers().OfType<IMethodSymbol>().Any(m => m.MethodKind == MethodKind.UserDefinedOperator && m.Name is "op_Equality" or "op_Inequality");

        private static async Task<Document> GenerateMembersAsync(Document document, StructDeclarationSyntax declaration, CancellationToken cancellationToken)
        {
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (model?.GetDeclaredSymbol(declaration, cancellationToken) is not { } type || root is null)
            {
                return document;
            }

            var compilation = model.Compilation;
            var equatable = compilation.GetTypeByMetadataName("System.IEquatable`1")?.Construct(type);
            bool implementsEquatable = equatable is not null && type.AllInterfaces.Contains(equatable, SymbolEqualityComparer.Default);
            bool hasTypedEquals = type.GetMembers("Equals").OfType<IMethodSymbol>().Any(m => m.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(m.Parameters[0].Type, type));
            bool overridesEquals = type.GetMembers("Equals").OfType<IMethodSymbol>().Any(m => m.IsOverride && m.Parameters.Length == 1);
            bool overridesHash = type.GetMembers("GetHashCode").OfType<IMethodSymbol>().Any(m => m.IsOverride && m.Parameters.IsEmpty);

            string self = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            // Members of a mutable struct are marked readonly so that calling them on a readonly field copies nothing.
            string modifier = !type.IsReadOnly && ((CSharpParseOptions)declaration.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp8 ? "readonly " : "";
            string objectType = model.GetNullableContext(declaration.SpanStart).AnnotationsEnabled() ? "object?" : "object";
            var fields = InstanceFields(type).ToList();

            var members = new List<string>();
            if (!hasTypedEquals)
            {
                string comparison = fields.Count == 0 ? "true" : string.Join(" && ", fields.Select(Compare));
                members.Add($"public {modifier}bool Equals({self} other) => {comparison};");
            }

            if (!overridesEquals)
            {
                members.Add($"public override {modifier}bool Equals({objectType} obj) => obj is {self} other && Equals(other);");
            }

            if (!overridesHash)
            {
                members.Add(HashMethod(fields, modifier, compilation.GetTypeByMetadataName("System.HashCode") is not null));
            }

            // End each new member with the file's own line break.
            var endOfLine = declaration.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            var lineBreak = endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? SyntaxFactory.ElasticEndOfLine(endOfLine.ToString()) : SyntaxFactory.ElasticCarriageReturnLineFeed;
            var generated = members.Select(text => SyntaxFactory.ParseMemberDeclaration(text)!
                .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
                .WithTrailingTrivia(lineBreak)
                .WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation));
            var updated = declaration.AddMembers(generated.ToArray());
            if (!implementsEquatable)
            {
                var baseType = SyntaxFactory.SimpleBaseType(SyntaxFactory.ParseTypeName($"global::System.IEquatable<{self}>").WithAdditionalAnnotations(Simplifier.Annotation));
                updated = updated.BaseList is null
                    ? updated.WithIdentifier(updated.TypeParameterList is null ? updated.Identifier.WithTrailingTrivia() : updated.Identifier)
                        .WithTypeParameterList(updated.TypeParameterList?.WithTrailingTrivia())
                        .WithBaseList(SyntaxFactory.BaseList(SyntaxFactory.SingletonSeparatedList<BaseTypeSyntax>(baseType)).WithTrailingTrivia(TrailingOfName(declaration)))
                    : updated.AddBaseListTypes(baseType);
            }

            return document.WithSyntaxRoot(root.ReplaceNode(declaration, updated.WithAdditionalAnnotations(Formatter.Annotation)));
        }

        private static SyntaxTriviaList TrailingOfName(StructDeclarationSyntax declaration) =>
            declaration.TypeParameterList?.GetTrailingTrivia() ?? declaration.Identifier.TrailingTrivia;

        private static async Task<Document> MakeRecordAsync(Document document, StructDeclarationSyntax declaration, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            var keyword = declaration.Keyword;
            var record = SyntaxFactory.RecordDeclaration(
                SyntaxKind.RecordStructDeclaration,
                declaration.AttributeLists,
                declaration.Modifiers,
                SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.RecordKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space)),
                SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.StructKeyword, keyword.TrailingTrivia),
                declaration.Identifier,
                declaration.TypeParameterList,
                parameterList: null,
                declaration.BaseList,
                declaration.ConstraintClauses,
                declaration.OpenBraceToken,
                declaration.Members,
                declaration.CloseBraceToken,
                declaration.SemicolonToken);
            return document.WithSyntaxRoot(root.ReplaceNode(declaration, record));
        }

        private static IEnumerable<IFieldSymbol> InstanceFields(INamedTypeSymbol type) =>
            type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst);

        /// <summary>The name code uses for the field: an auto-property's backing field is reached through the property.</summary>
        private static string NameOf(IFieldSymbol field)
        {
            string name = (field.AssociatedSymbol ?? field).Name;
            return SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;
        }

        private static string Compare(IFieldSymbol field)
        {
            string name = NameOf(field);
            var type = field.Type;
            if (type.SpecialType is SpecialType.System_Single or SpecialType.System_Double)
            {
                // Equals, not ==: NaN equals NaN, as ValueType.Equals and hashed lookups need.
                return $"{name}.Equals(other.{name})";
            }

            if (type.TypeKind == TypeKind.Enum || type.SpecialType is SpecialType.System_Boolean or SpecialType.System_Char
                or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
                or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
                or SpecialType.System_IntPtr or SpecialType.System_UIntPtr or SpecialType.System_String)
            {
                return $"{name} == other.{name}";
            }

            return $"global::System.Collections.Generic.EqualityComparer<{type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}>.Default.Equals({name}, other.{name})";
        }

        private static string HashMethod(IReadOnlyList<IFieldSymbol> fields, string modifier, bool hasHashCode)
        {
            string signature = $"public override {modifier}int GetHashCode()";
            if (fields.Count == 0)
            {
                return signature + " => 0;";
            }

            if (hasHashCode && fields.Count <= 8)
            {
                return $"{signature} => global::System.HashCode.Combine({string.Join(", ", fields.Select(NameOf))});";
            }

            if (hasHashCode)
            {
                return signature + " { var hash = new global::System.HashCode(); "
                    + string.Concat(fields.Select(f => $"hash.Add({NameOf(f)}); "))
                    + "return hash.ToHashCode(); }";
            }

            // Targets without System.HashCode (netstandard2.0, .NET Framework).
            return signature + " { unchecked { int hash = 17; "
                + string.Concat(fields.Select(f => $"hash = hash * 31 + global::System.Collections.Generic.EqualityComparer<{f.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}>.Default.GetHashCode({NameOf(f)}); "))
                + "return hash; } }";
        }
    }
}
