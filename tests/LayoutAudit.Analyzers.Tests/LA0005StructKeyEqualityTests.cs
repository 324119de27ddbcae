using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using LayoutAudit.Analyzers.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = LayoutAudit.Analyzers.Tests.AnalyzerVerifier<LayoutAudit.Analyzers.StructKeyEqualityAnalyzer>;
using VerifyFix = LayoutAudit.Analyzers.Tests.CodeFixVerifier<LayoutAudit.Analyzers.StructKeyEqualityAnalyzer, LayoutAudit.Analyzers.CodeFixes.StructEqualityCodeFixProvider>;

namespace LayoutAudit.Analyzers.Tests
{
    public sealed class LA0005StructKeyEqualityTests
    {
        private const string Neither = "neither implements IEquatable<Point> nor overrides GetHashCode";

        private static DiagnosticResult Expect(int location, string collection, string missing, string key = "Point") =>
            Verify.Diagnostic(StructKeyEqualityAnalyzer.Rule).WithLocation(location).WithLocation(1).WithArguments(key, collection, missing);

        [Fact]
        public async Task ReportsEveryHashedCollectionKeyedByTheStruct()
        {
            const string source = """
                using System.Collections.Concurrent;
                using System.Collections.Generic;
                using System.Linq;

                public struct {|#1:Point|} { public int X; public int Y; }

                public static class Uses
                {
                    public static int Count(Point[] points)
                    {
                        var names = {|#0:new Dictionary<Point, string>()|};
                        HashSet<Point> seen = {|#2:new()|};
                        var shared = {|#3:new ConcurrentDictionary<Point, int>()|};
                        var byPoint = {|#4:points.ToDictionary(p => p)|};
                        var groups = {|#5:points.GroupBy(p => p)|};
                        var set = {|#6:points.ToHashSet()|};
                        return names.Count + seen.Count + shared.Count + byPoint.Count + groups.Count() + set.Count;
                    }
                }
                """;
            await Verify.VerifyAsync(
                source,
                Expect(0, "Dictionary<Point, string>", Neither),
                Expect(2, "HashSet<Point>", Neither),
                Expect(3, "ConcurrentDictionary<Point, int>", Neither),
                Expect(4, "Dictionary<Point, Point>", Neither),
                Expect(5, "IEnumerable<IGrouping<Point, Point>>", Neither),
                Expect(6, "HashSet<Point>", Neither));
        }

        [Fact]
        public async Task SaysWhichHalfIsMissing()
        {
            const string source = """
                using System;
                using System.Collections.Generic;

                public struct {|#1:Point|} : IEquatable<Point>
                {
                    public int X;
                    public bool Equals(Point other) => X == other.X;
                }

                public struct {|#3:Hashed|}
                {
                    public int X;
                    public override int GetHashCode() => X;
                }

                public static class Uses
                {
                    public static object Make() => ({|#0:new HashSet<Point>()|}, {|#2:new HashSet<Hashed?>()|});
                }
                """;
            await Verify.VerifyAsync(
                source,
                Expect(0, "HashSet<Point>", "does not override GetHashCode"),
                Verify.Diagnostic(StructKeyEqualityAnalyzer.Rule).WithLocation(2).WithLocation(3).WithArguments("Hashed", "HashSet<Hashed?>", "does not implement IEquatable<Hashed>"));
        }

        [Fact]
        public async Task StaysSilentForKeysWithEqualityOrACustomComparer()
        {
            const string source = """
                using System;
                using System.Collections.Generic;
                using System.Linq;

                public struct Good : IEquatable<Good>
                {
                    public int X;
                    public bool Equals(Good other) => X == other.X;
                    public override bool Equals(object? obj) => obj is Good other && Equals(other);
                    public override int GetHashCode() => X;
                }

                public record struct Recorded(int X, int Y);
                public struct Plain { public int X; }
                public enum Color { Red }
                public class Reference { }

                public sealed class PlainComparer : IEqualityComparer<Plain>
                {
                    public bool Equals(Plain x, Plain y) => x.X == y.X;
                    public int GetHashCode(Plain obj) => obj.X;
                }

                public static class Uses
                {
                    public static object Make(Plain[] plains) => new object[]
                    {
                        new Dictionary<Good, int>(), new HashSet<Recorded>(), new HashSet<Good?>(), new Dictionary<int, Plain>(),
                        new HashSet<Color>(), new HashSet<string>(), new HashSet<Reference>(), new HashSet<(int, int)>(),
                        new Dictionary<Plain, int>(new PlainComparer()), new HashSet<Plain>(new PlainComparer()),
                        plains.ToDictionary(p => p, new PlainComparer()), new List<Plain>(),
                    };
                }
                """;
            await Verify.VerifyAsync(source);
        }

        [Fact]
        public async Task GeneratesEqualityMembersThatTheRuntimeUses()
        {
            const string source = """
                using System.Collections.Generic;

                public struct {|#1:Point|}
                {
                    public int X;
                    public double Weight;
                    public string Name;
                    public System.DateTime When { get; set; }
                }

                public static class Uses
                {
                    public static object Make() => {|#0:new HashSet<Point>()|};
                }
                """;
            const string fixedSource = """
                using System.Collections.Generic;

                public struct Point : System.IEquatable<Point>
                {
                    public int X;
                    public double Weight;
                    public string Name;
                    public System.DateTime When { get; set; }

                    public readonly bool Equals(Point other) => X == other.X && Weight.Equals(other.Weight) && Name == other.Name && EqualityComparer<System.DateTime>.Default.Equals(When, other.When);
                    public override readonly bool Equals(object obj) => obj is Point other && Equals(other);
                    public override readonly int GetHashCode() => System.HashCode.Combine(X, Weight, Name, When);
                }

                public static class Uses
                {
                    public static object Make() => new HashSet<Point>();
                }
                """;
            var test = VerifyFix.Create(source, fixedSource, Expect(0, "HashSet<Point>", Neither));
            test.CodeActionEquivalenceKey = StructEqualityCodeFixProvider.GenerateMembersKey;
            await test.RunAsync();

            // The runtime now compares Point through IEquatable<Point>, not through ValueType's reflection.
            var point = Runtime.Load(fixedSource).GetType("Point", throwOnError: true)!;
            Assert.True(typeof(IEquatable<>).MakeGenericType(point).IsAssignableFrom(point));
            var comparer = typeof(EqualityComparer<>).MakeGenericType(point).GetProperty("Default")!.GetValue(null)!;
            Assert.StartsWith("GenericEqualityComparer", comparer.GetType().Name, StringComparison.Ordinal);
            object a = Activator.CreateInstance(point)!;
            object b = Activator.CreateInstance(point)!;
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
            Assert.True(a.Equals(b));
        }

        [Fact]
        public async Task OffersARecordStruct()
        {
            const string source = """
                using System.Collections.Generic;

                public struct {|#1:Point|} { public int X; public int Y; }

                public static class Uses
                {
                    public static object Make() => {|#0:new Dictionary<Point, int>()|};
                }
                """;
            const string fixedSource = """
                using System.Collections.Generic;

                public record struct Point { public int X; public int Y; }

                public static class Uses
                {
                    public static object Make() => new Dictionary<Point, int>();
                }
                """;
            var test = VerifyFix.Create(source, fixedSource, Expect(0, "Dictionary<Point, int>", Neither));
            test.CodeActionEquivalenceKey = StructEqualityCodeFixProvider.RecordStructKey;
            await test.RunAsync();
        }

        [Fact]
        public async Task AddsOnlyTheMissingHalf()
        {
            const string source = """
                using System;
                using System.Collections.Generic;

                public struct {|#1:Point|} : IEquatable<Point>
                {
                    public int X;
                    public bool Equals(Point other) => X == other.X;
                    public override bool Equals(object? obj) => obj is Point other && Equals(other);
                }

                public static class Uses
                {
                    public static object Make() => {|#0:new HashSet<Point>()|};
                }
                """;
            const string fixedSource = """
                using System;
                using System.Collections.Generic;

                public struct Point : IEquatable<Point>
                {
                    public int X;
                    public bool Equals(Point other) => X == other.X;
                    public override bool Equals(object? obj) => obj is Point other && Equals(other);
                    public override readonly int GetHashCode() => HashCode.Combine(X);
                }

                public static class Uses
                {
                    public static object Make() => new HashSet<Point>();
                }
                """;
            var test = VerifyFix.Create(source, fixedSource, Expect(0, "HashSet<Point>", "does not override GetHashCode"));
            test.CodeActionEquivalenceKey = StructEqualityCodeFixProvider.GenerateMembersKey;
            await test.RunAsync();
        }
    }
}
