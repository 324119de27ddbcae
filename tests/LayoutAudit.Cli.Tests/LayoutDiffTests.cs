using System;
using System.Linq;
using LayoutAudit.Core;
using Xunit;

namespace LayoutAudit.Cli.Tests
{
    /// <summary>How two reports are matched: the types by assembly and name, the findings by rule, file and message
    /// (then by place). The layouts here are made-up inputs to the comparison, not predictions.</summary>
    public sealed class LayoutDiffTests
    {
        [Fact]
        public void AFindingWhoseLineMovedIsNotNew()
        {
            var diff = LayoutDiff.Compute(Report(Finding("LA0001", "m", 10)), Report(Finding("LA0001", "m", 14)));
            Assert.True(diff.IsEmpty);
            Assert.False(diff.IsRegression);
        }

        [Fact]
        public void AFindingWhoseMessageChangedInPlaceIsNotNew()
        {
            var diff = LayoutDiff.Compute(Report(Finding("LA0001", "'A' is 24 bytes", 10)), Report(Finding("LA0001", "'A' is 32 bytes", 10)));
            Assert.Empty(diff.NewFindings);
            Assert.Empty(diff.FixedFindings);
        }

        [Fact]
        public void AFindingAboutTheSameTypeThatMovedAndChangedIsNotNew()
        {
            var diff = LayoutDiff.Compute(Report(Finding("LA0001", "'A' is 24 bytes", 10)), Report(Finding("LA0001", "'A' is 32 bytes", 12), Finding("LA0001", "'B' is 32 bytes", 20)));
            Assert.Equal("'B' is 32 bytes", Assert.Single(diff.NewFindings).Message);
            Assert.Empty(diff.FixedFindings);
        }

        [Fact]
        public void ASecondCopyOfAFindingIsNew()
        {
            var diff = LayoutDiff.Compute(Report(Finding("LA0005", "m", 3)), Report(Finding("LA0005", "m", 3), Finding("LA0005", "m", 9)));
            Assert.Equal(9, Assert.Single(diff.NewFindings).Line);
            Assert.True(diff.IsRegression);
        }

        [Fact]
        public void PaddingGrowthAtTheSameSizeIsARegressionAndANewTypeIsNot()
        {
            var diff = LayoutDiff.Compute(
                Report(types: new[] { Type("A", size: 16, padding: 4) }),
                Report(types: new[] { Type("A", size: 16, padding: 8), Type("B", size: 64, padding: 0) }));
            var grown = Assert.Single(diff.Grown);
            Assert.Equal(("A", 0, 4), (grown.Name, grown.SizeDelta, grown.PaddingDelta));
            Assert.Equal(TypeChangeKind.Added, diff.Types.Single(t => t.Name == "B").Kind);
            Assert.True(diff.IsRegression);

            var onlyAdded = LayoutDiff.Compute(Report(), Report(types: new[] { Type("B", size: 64, padding: 0) }));
            Assert.False(onlyAdded.IsRegression);
            Assert.StartsWith("OK: no type grew and no new findings; 1 type added", DiffReport.Verdict(onlyAdded, markdown: false), StringComparison.Ordinal);
        }

        [Fact]
        public void TypesOfTheSameNameInTwoAssembliesAreKeptApart()
        {
            var diff = LayoutDiff.Compute(
                Report(types: new[] { Type("A", 8, 0, "One"), Type("A", 8, 0, "Two") }),
                Report(types: new[] { Type("A", 8, 0, "One"), Type("A", 16, 0, "Two") }));
            var change = Assert.Single(diff.Types);
            Assert.Equal(("Two", 8), (change.Assembly, change.SizeDelta));
        }

        [Fact]
        public void TheJsonReadsBackAsWritten()
        {
            var report = Report(new[] { Type("Ns.Outer+A<T>", 24, 7, "Asm") }, Finding("LA0001", "'A' is \"24\" bytes <x>", 2));
            var read = AuditReportReader.Read(AuditJson.Write(report), "report.json");
            Assert.Equal(report.Projects, read.Projects);
            Assert.Equal(report.Types, read.Types);
            Assert.Equal(report.Findings, read.Findings);
            Assert.True(LayoutDiff.Compute(report, read).IsEmpty);
        }

        private static AuditReport Report(params Finding[] findings) => Report(Array.Empty<AuditedType>(), findings);

        private static AuditReport Report(AuditedType[] types, params Finding[] findings) =>
            new(new[] { "src/App/App.csproj" }, types, Array.Empty<AuditedProblem>(), findings);

        private static Finding Finding(string id, string message, int line) => new(id, FindingSeverity.Warning, message, "src/App/Types.cs", line, 5);

        private static AuditedType Type(string name, int size, int padding, string assembly = "App")
        {
            var field = new FieldLayout("F", "long", 0, size - padding, 8, FieldGcKind.None, name);
            return new AuditedType(assembly, new TypeLayout
            {
                Name = name,
                DisplayName = name,
                Category = TypeCategory.Struct,
                DeclaredLayout = LayoutKindName.Sequential,
                AppliedLayout = LayoutKindName.Sequential,
                Size = size,
                Alignment = 8,
                DataEnd = size,
                Fields = new EquatableArray<FieldLayout>(new[] { field }),
                Holes = padding == 0 ? EquatableArray<PaddingHole>.Empty : new EquatableArray<PaddingHole>(new[] { new PaddingHole(size - padding, padding, "F", true) }),
                Padding = padding,
                TrailingPadding = padding,
            });
        }
    }
}
