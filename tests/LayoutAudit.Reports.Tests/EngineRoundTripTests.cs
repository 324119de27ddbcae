using System;
using System.IO;
using System.Linq;
using LayoutAudit.Core;
using LayoutAudit.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LayoutAudit.Reports.Tests
{
    /// <summary>Real layouts from the engine survive JSON and back unchanged: what <c>diff</c> reads is what was computed.</summary>
    public sealed class EngineRoundTripTests
    {
        private const string Source = """
            using System;
            using System.Collections.Generic;
            using System.Runtime.CompilerServices;
            using System.Runtime.InteropServices;
            namespace Sample
            {
                public struct Shrinks { public byte A; public long B; public byte C; }
                public struct WithReference { public byte A; public object B; public int C; }
                [StructLayout(LayoutKind.Explicit)] public struct Union { [FieldOffset(0)] public long L; [FieldOffset(0)] public double D; [FieldOffset(8)] public byte B; }
                [StructLayout(LayoutKind.Sequential, Pack = 2)] public struct Packed { public byte A; public int B; }
                public unsafe struct Fixed { public fixed byte Buffer[7]; public int After; }
                [InlineArray(3)] public struct Three { private long _element; }
                public struct Empty { }
                public record struct Point(int X, int Y, string Label);
                public class Base { public int X; public byte Y; }
                public class Derived : Base { public byte Z; public long W; public KeyValuePair<int, string> Pair; public Guid Id; public decimal Money; }
                public class Outer { public struct Inner { public short S; public byte B; } }
                public struct Broken { public Missing M; }
            }
            """;

        [Fact]
        public void EngineLayoutsRoundTripThroughJson()
        {
            string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetDirectoryName(p) == runtime)
                .Select(p => MetadataReference.CreateFromFile(p));
            var compilation = CSharpCompilation.Create("Sample", new[] { CSharpSyntaxTree.ParseText(Source) }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            var engine = new LayoutEngine(compilation);
            var types = compilation.Assembly.GlobalNamespace.GetNamespaceMembers().Single(n => n.Name == "Sample").GetTypeMembers()
                .SelectMany(t => t.GetTypeMembers().Prepend(t))
                .Append(compilation.GetTypeByMetadataName("System.Collections.Generic.List`1")!.Construct(compilation.GetSpecialType(SpecialType.System_String)))
                .Append(compilation.GetTypeByMetadataName("System.DateTimeOffset")!);
            var results = types.Select(t => engine.Compute(t)).ToList();
            var layouts = results.Where(r => r.IsSuccess).Select(r => r.Layout!).ToList();
            var problems = results.Where(r => !r.IsSuccess).Select(r => r.Problem!).ToList();
            Assert.Equal(14, layouts.Count);
            Assert.Contains(problems, p => p.TypeName == "Sample.Broken");

            var read = JsonReportReader.Read(JsonReport.Write(layouts, problems));

            Assert.Equal(layouts.OrderBy(l => l.Name, StringComparer.Ordinal), read.Layouts);
            Assert.Equal(problems, read.Problems);
        }
    }
}
