using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LayoutAudit.Generator.Benchmarks
{
    /// <summary>The floor for any generator on <c>ForAttributeWithMetadataName</c>: the same attribute match and
    /// declared symbol, a transform that keeps only the type's name, and one comment file per type. Run by the benchmark's driver, never loaded by a compiler.</summary>
    public sealed class NameOnlyGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var names = context.SyntaxProvider.ForAttributeWithMetadataName(
                "LayoutAudit.AuditLayoutAttribute",
                static (node, _) => node is TypeDeclarationSyntax,
                static (attributed, _) => attributed.TargetSymbol.ToDisplayString());

            context.RegisterSourceOutput(names, static (output, name) => output.AddSource(name + ".g.cs", "// " + name + "\n"));
        }
    }
}
