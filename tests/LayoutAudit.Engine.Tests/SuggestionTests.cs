using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using LayoutAudit.Runtime;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LayoutAudit.Engine.Tests
{
    /// <summary>The suggested field order is proven by building the reordered struct and measuring it.</summary>
    public sealed class SuggestionTests
    {
        [Theory]
        [InlineData("struct Bad { public bool A; public long B; }")]
        [InlineData("struct Better { public long B; public bool A; }")]
        [InlineData("struct Packed { public long A; public int B; public short C; public byte D; }")]
        [InlineData("struct WithReference { public byte A; public object B; public byte C; }")]
        [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 1)] struct PackedByAttribute { public byte A; public long B; }")]
        public void NoSuggestionWhereNoOrderIsSmallerOrTheOrderIsNotTheUsers(string source)
        {
            var (engine, type) = Compile(source);
            var layout = engine.Compute(type).Layout!;
            Assert.Null(layout.SuggestedSize);
            Assert.True(layout.SuggestedOrder.IsEmpty);
        }

        [Theory]
        [InlineData("struct Shrink { public byte A; public long B; public byte C; public long D; public byte E; }")]
        [InlineData("struct Mixed { public byte A; public int B; public byte C; public short D; public double E; public bool F; }")]
        [InlineData("struct Nested { public byte A; public System.Guid G; public byte B; public long L; public char C; }")]
        [InlineData("struct WithVector { public byte A; public System.Runtime.Intrinsics.Vector128<int> V; public byte B; }")]
        public void TheSuggestedOrderBuildsToTheSuggestedSmallerSize(string source)
        {
            var (engine, type) = Compile(source);
            var layout = engine.Compute(type).Layout!;
            Assert.NotNull(layout.SuggestedSize);
            Assert.True(layout.SuggestedSize < layout.Size);

            // Rebuild the struct with its field declarations in the suggested order and measure both.
            var declaration = (Microsoft.CodeAnalysis.CSharp.Syntax.StructDeclarationSyntax)type.DeclaringSyntaxReferences.Single().GetSyntax();
            var fieldsByName = declaration.Members.OfType<Microsoft.CodeAnalysis.CSharp.Syntax.FieldDeclarationSyntax>()
                .ToDictionary(f => f.Declaration.Variables.Single().Identifier.Text);
            var reordered = declaration.WithIdentifier(SyntaxFactory.Identifier("Reordered"))
                .WithMembers(SyntaxFactory.List<Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax>(layout.SuggestedOrder.Select(n => fieldsByName[n])));
            var assembly = Load(source + Environment.NewLine + reordered.NormalizeWhitespace().ToFullString());

            Assert.Equal(layout.Size, RuntimeLayoutInspector.Measure(assembly.GetType(type.Name)!).Size);
            Assert.Equal(layout.SuggestedSize, RuntimeLayoutInspector.Measure(assembly.GetType("Reordered")!).Size);
        }

        private static (LayoutEngine Engine, INamedTypeSymbol Type) Compile(string source)
        {
            var compilation = RuntimeReferences.CreateCompilation("Suggestions", new[] { CSharpSyntaxTree.ParseText(source) });
            var type = compilation.Assembly.GlobalNamespace.GetTypeMembers().Single();
            return (new LayoutEngine(compilation), type);
        }

        private static Assembly Load(string source)
        {
            var compilation = RuntimeReferences.CreateCompilation("Reordered" + Guid.NewGuid().ToString("N"), new[] { CSharpSyntaxTree.ParseText(source) });
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
            stream.Position = 0;
            return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(stream);
        }
    }
}
