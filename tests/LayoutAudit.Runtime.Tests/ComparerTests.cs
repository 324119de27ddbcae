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
            public string? C;
        }

        public class Parent
        {
            public int Inherited;
        }

        public sealed class Child : Parent
        {
            public int Own;
        }

        /// <summary>A prediction built from the measurement itself: the comparer must find nothing.</summary>
        private static TypeLayout PredictionFrom(MeasuredLayout measured) => new()
        {
            Name = measured.Name,
            Category = measured.Category,
            Size = measured.Size,
            Fields = new EquatableArray<FieldLayout>(measured.Fields.Select(f =>
                new FieldLayout(f.Name, f.TypeName, f.Offset, f.Size, f.Size, f.IsReference ? FieldGcKind.Reference : FieldGcKind.None, f.DeclaringType))),
        };

        [Fact]
        public void IdenticalLayoutsHaveNoDifferences()
        {
            foreach (var measured in new[] { RuntimeLayoutInspector.Measure<Sample>(), RuntimeLayoutInspector.Measure<Child>() })
            {
                Assert.Empty(LayoutComparer.Compare(PredictionFrom(measured), measured));
                LayoutComparer.AssertSame(PredictionFrom(measured), measured);
            }
        }

        [Fact]
        public void EveryKindOfDifferenceIsListed()
        {
            var measured = RuntimeLayoutInspector.Measure<Sample>();
            var exact = PredictionFrom(measured);
            var b = exact.Fields.Single(f => f.Name == "B");
            var c = exact.Fields.Single(f => f.Name == "C");
            var wrong = exact with
            {
                Size = measured.Size + 8,
                Category = TypeCategory.Class,
                Fields = new EquatableArray<FieldLayout>(new[]
                {
                    b with { Offset = b.Offset + 4, Size = 4 },
                    c with { Gc = FieldGcKind.None },
                    new FieldLayout("Ghost", "int", 0, 4, 4, FieldGcKind.None, measured.Name),
                    new FieldLayout("Ghost", "int", 4, 4, 4, FieldGcKind.None, measured.Name),
                }),
            };

            var differences = LayoutComparer.Compare(wrong, measured);
            Assert.Equal(
                new[]
                {
                    "kind: predicted class, measured struct",
                    $"size: predicted {measured.Size + 8}, measured {measured.Size}",
                    "field Ghost: predicted more than once",
                    $"field A: missing from the prediction (measured at offset {measured.Fields.Single(f => f.Name == "A").Offset})",
                    $"field B: predicted offset {b.Offset + 4}, measured {b.Offset}",
                    $"field B: predicted size 4, measured {b.Size}",
                    "field C: predicted not an object reference, measured an object reference",
                    "field Ghost: predicted at offset 0, but the runtime type has no such field",
                }.OrderBy(d => d),
                differences.OrderBy(d => d));

            var error = Assert.Throws<LayoutMismatchException>(() => LayoutComparer.AssertSame(wrong, measured));
            Assert.Equal(differences, error.Differences);
            Assert.Contains("field B: predicted size 4", error.Message);
        }

        [Fact]
        public void InheritedFieldsAreMatchedByDeclaringType()
        {
            var measured = RuntimeLayoutInspector.Measure<Child>();
            var exact = PredictionFrom(measured);

            // The same name, but said to be declared by the class itself: one field missing, one that does not exist.
            var misattributed = exact with
            {
                Fields = new EquatableArray<FieldLayout>(exact.Fields.Select(f => f.Name == "Inherited" ? f with { DeclaringType = measured.Name } : f)),
            };

            var differences = LayoutComparer.Compare(misattributed, measured);
            Assert.Equal(2, differences.Count);
            Assert.StartsWith($"field Inherited (declared in {typeof(Parent).FullName}): missing from the prediction", differences[0]);
            Assert.StartsWith("field Inherited: predicted at offset", differences[1]);
        }
    }
}
