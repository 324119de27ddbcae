using System.Linq;
using LayoutAudit.Core;
using LayoutAudit.Runtime;
using Xunit;

namespace LayoutAudit.Runtime.Tests
{
    public sealed class ComparerTests
    {
        public struct Sample
        {
            public byte A;
            public long B;
        }

        /// <summary>A prediction built from the measurement itself: the comparer must find nothing.</summary>
        private static TypeLayout PredictionFrom(MeasuredLayout measured) => new()
        {
            Name = measured.Name,
            Category = measured.Category,
            Size = measured.Size,
            Fields = new EquatableArray<FieldLayout>(measured.Fields.Select(f => new FieldLayout(f.Name, f.TypeName, f.Offset, f.Size, f.Size, FieldGcKind.None, f.DeclaringType))),
        };

        [Fact]
        public void IdenticalLayoutsHaveNoDifferences()
        {
            var measured = RuntimeLayoutInspector.Measure<Sample>();
            Assert.Empty(LayoutComparer.Compare(PredictionFrom(measured), measured));
            LayoutComparer.AssertSame(PredictionFrom(measured), measured);
        }

        [Fact]
        public void EveryKindOfDifferenceIsListed()
        {
            var measured = RuntimeLayoutInspector.Measure<Sample>();
            var exact = PredictionFrom(measured);
            var wrong = exact with
            {
                Size = measured.Size + 8,
                Category = TypeCategory.Class,
                Fields = new EquatableArray<FieldLayout>(new[]
                {
                    exact.Fields.Single(f => f.Name == "B") with { Offset = 4, Size = 4 },
                    new FieldLayout("Ghost", "int", 0, 4, 4, FieldGcKind.None, measured.Name),
                }),
            };

            var differences = LayoutComparer.Compare(wrong, measured);
            Assert.Contains(differences, d => d.StartsWith("kind: predicted class, measured struct"));
            Assert.Contains(differences, d => d == $"size: predicted {measured.Size + 8}, measured {measured.Size}");
            Assert.Contains(differences, d => d.StartsWith("field A: missing from the prediction"));
            Assert.Contains(differences, d => d == "field B: predicted offset 4, measured 8");
            Assert.Contains(differences, d => d == "field B: predicted size 4, measured 8");
            Assert.Contains(differences, d => d.StartsWith("field Ghost: predicted at offset 0, but the runtime type has no such field"));
            var error = Assert.Throws<LayoutMismatchException>(() => LayoutComparer.AssertSame(wrong, measured));
            Assert.Equal(differences, error.Differences);
        }
    }
}
