using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Fix = LayoutAudit.Retention.Tests.CodeFixVerifier<LayoutAudit.Retention.StaleTailAnalyzer, LayoutAudit.Retention.CodeFixes.ClearVacatedSlotCodeFixProvider>;
using Verify = LayoutAudit.Retention.Tests.AnalyzerVerifier<LayoutAudit.Retention.StaleTailAnalyzer>;

namespace LayoutAudit.Retention.Tests
{
    public sealed class LA2004StaleTailTests
    {
        private static string Wrap(string members) => $$"""
            using System;
            using System.Runtime.CompilerServices;

            public struct Entry { public string Name; public int Id; }
            public struct Point { public int X; public int Y; }
            public enum Color { Red, Green }

            public class Sample<T>
            {
                private T[] _items = new T[4];
                private string[] _names = new string[4];
                private int[] _numbers = new int[4];
                private Entry[] _entries = new Entry[4];
                private Point[] _points = new Point[4];
                private Color[] _colors = new Color[4];
                private char[] _chars = new char[4];
                private int _size;
                private int Count { get; set; }

            {{members}}
            }
            """;

        public static IEnumerable<object[]> Fires() => new[]
        {
            "void RemoveAt(int index) { _size--; if (index < _size) { [|Array.Copy(_names, index + 1, _names, index, _size - index)|]; } }",
            "void RemoveAt(int index) { [|Array.Copy(_names, index + 1, _names, index, _size - index - 1)|]; _size--; }",
            "void RemoveAt(int index) { _size--; [|Array.Copy(_items, index + 1, _items, index, _size - index)|]; }",
            "void RemoveAt(int index) { [|_names.AsSpan(index + 1, _size - index - 1).CopyTo(_names.AsSpan(index))|]; _size--; }",
            "void RemoveAt(int index) { for (int i = index; i < _size - 1; i++) { [|_names[i] = _names[i + 1]|]; } _size--; }",
            "void RemoveAt(int index) { for (int i = index + 1; i < _size; i++) [|_names[i - 1] = _names[i]|]; _size--; }",
            "void RemoveAt(int index) { --_size; [|Array.Copy(_names, index + 1, _names, index, _size - index)|]; }",
            "void RemoveAt(int index) { _size -= 1; [|Array.Copy(_names, index + 1, _names, index, _size - index)|]; }",
            "void RemoveAt(int index) { _size = _size - 1; [|Array.Copy(_names, index + 1, _names, index, _size - index)|]; }",
            "void RemoveAt(int index) { Count--; [|Array.Copy(_names, index + 1, _names, index, Count - index)|]; }",
            "static int Remove(object[] items, int count, int index) { [|Array.Copy(items, index + 1, items, index, count - index - 1)|]; count--; return count; }",
            "void RemoveRange(int index, int n) { [|Array.Copy(_names, index + n, _names, index, _size - index - n)|]; _size -= n; }",
            "void RemoveAt(int index) { _size--; [|Array.Copy(_entries, index + 1, _entries, index, _size - index)|]; }",
            "void RemoveAt(int index) { _names[index] = null!; [|Array.Copy(_names, index + 1, _names, index, _size - index - 1)|]; _size--; }",
            "void RemoveAt(int index, int n) { [|new Span<string>(_names, index + 1, n).CopyTo(new Span<string>(_names, index, n))|]; _size--; }",
            "void RemoveAt(int index) { _size--; [|Array.ConstrainedCopy(_names, index + 1, _names, index, _size - index)|]; }",
            "void Dequeue() { [|Array.Copy(_names, 1, _names, 0, _size - 1)|]; _size--; }",
            "void Dequeue() { [|_names.AsSpan(1, _size - 1).CopyTo(_names)|]; _size--; }",
            "void RemoveFirst() { [|_names.AsSpan().Slice(1).CopyTo(_names)|]; _size--; }",
        }.Select(s => new object[] { s });

        public static IEnumerable<object[]> StaysSilent() => new[]
        {
            "void RemoveAt(int index) { Array.Copy(_names, index + 1, _names, index, _size - index - 1); _size--; _names[_size] = null!; }",
            "void RemoveAt(int index) { _size--; if (index < _size) { Array.Copy(_items, index + 1, _items, index, _size - index); } if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) { _items[_size] = default!; } }",
            "void RemoveAt(int index) { _size--; Array.Copy(_numbers, index + 1, _numbers, index, _size - index); }",
            "void RemoveAt(int index) { _size--; Array.Copy(_points, index + 1, _points, index, _size - index); }",
            "void RemoveAt(int index) { _size--; Array.Copy(_colors, index + 1, _colors, index, _size - index); }",
            "void RemoveAt(int index) { _size--; _chars.AsSpan(index + 1, _size - index).CopyTo(_chars.AsSpan(index)); }",
            "void RemoveAt(int index) { _size--; Array.Copy(_names, index + 1, _names, index, _size - index); Array.Clear(_names, _size, 1); }",
            "void RemoveAt(int index) { _size--; Array.Copy(_names, index + 1, _names, index, _size - index); _names.AsSpan(_size).Clear(); }",
            "void Insert(int index, string name) { Array.Copy(_names, index, _names, index + 1, _size - index); _names[index] = name; _size++; }",
            "void Rotate() { var first = _names[0]; Array.Copy(_names, 1, _names, 0, _size - 1); _names[_size - 1] = first; }",
            "void MoveOut(int index, string[] other) { Array.Copy(_names, index + 1, other, index, _size - index - 1); _size--; }",
            "void RemoveAt(int index) { _size--; Array.Copy(_names, index + 1, _names, index, _size - index); Array.Resize(ref _names, _size); }",
            "void RemoveAt(int index) { _size--; Array.Copy(_names, index + 1, _names, index, _size - index); _names = _names[.._size]; }",
            "void SwapRemove(int index) { _names[index] = _names[_size - 1]; _names[_size - 1] = null!; _size--; }",
            "void RemoveFirst() { _names[0] = _names[1]; _size--; }",
            "void RemoveAt(int index) { _size--; Array.Copy(_names, index + 1, _names, index, _size - index); _names[_size] = default(string)!; }",
            "void RemoveAt(int index) { for (int i = index; i < _size - 1; i++) { _numbers[i] = _numbers[i + 1]; } _size--; }",
            "void Shift(int index) { Array.Copy(_names, index + 1, _names, index, _size - index - 1); }",
            "void RemoveAt(int index) { Array.Copy(_names, index + 0, _names, index, _size - index); _size--; }",
            "void RemoveAt(int index) { _size--; Array.Copy(_names, index + 1, _names, index, _size - index); Array.Fill(_names, null!, _size, 1); }",
            "void RemoveAt(int index) { for (int i = index; i < _size - 1; i++) { _names[i] = _names[i + 1]; } _size--; _names[_size] = null!; }",
            "void RemoveAt(int index) { _names.AsSpan(index + 1, _size - index - 1).CopyTo(_names.AsSpan(index)); _size--; _names.AsSpan(_size, 1).Clear(); }",
        }.Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(Fires))]
        public Task ReportsAShiftThatLeavesTheVacatedSlotFull(string members) => Verify.VerifyAsync(Wrap(members));

        [Theory]
        [MemberData(nameof(StaysSilent))]
        public Task StaysSilentWhenTheSlotIsClearedOrHoldsNoReference(string members) => Verify.VerifyAsync(Wrap(members));

        [Fact]
        public Task TheMessageNamesTheArrayTheElementTypeAndTheSlot() => Verify.VerifyAsync(
            Wrap("void RemoveAt(int index) { {|#2:_size--|}; {|#0:Array.Copy(_items, index + 1, {|#1:_items|}, index, _size - index)|}; }"),
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_items", "T", "_size"));

        [Fact]
        public Task TheFixClearsTheSlotAfterBothTheShiftAndTheDecrement() => Fix.VerifyAsync(
            """
            #nullable enable
            using System;

            public class Names
            {
                private string[] _names = new string[4];
                private object?[] _tags = new object?[4];
                private int _size;

                public void RemoveAt(int index)
                {
                    _size--; // one fewer
                    if (index < _size)
                    {
                        [|Array.Copy(_names, index + 1, _names, index, _size - index)|];
                    }
                }

                public void RemoveTag(int index)
                {
                    for (int i = index; i < _size - 1; i++)
                    {
                        [|_tags[i] = _tags[i + 1]|];
                    }

                    _size -= 1;
                    Console.WriteLine(_size);
                }
            }
            """,
            """
            #nullable enable
            using System;

            public class Names
            {
                private string[] _names = new string[4];
                private object?[] _tags = new object?[4];
                private int _size;

                public void RemoveAt(int index)
                {
                    _size--; // one fewer
                    if (index < _size)
                    {
                        Array.Copy(_names, index + 1, _names, index, _size - index);
                    }
                    _names[_size] = default!;
                }

                public void RemoveTag(int index)
                {
                    for (int i = index; i < _size - 1; i++)
                    {
                        _tags[i] = _tags[i + 1];
                    }

                    _size -= 1;
                    _tags[_size] = default;
                    Console.WriteLine(_size);
                }
            }
            """);

        [Fact]
        public Task WhenTheDecrementIsInsideAnExpressionTheSlotIsLeftToTheAuthor()
        {
            string source = """
                using System;

                public class Queue
                {
                    private string[] _names = new string[4];
                    private int _size;

                    public int RemoveFirst()
                    {
                        [|Array.Copy(_names, 1, _names, 0, _size - 1)|];
                        return --_size;
                    }
                }
                """;
            return Fix.VerifyAsync(source, source);
        }

        private const string BagDemo = """
            using System;
            using System.Runtime.CompilerServices;

            public sealed class Bag
            {
                private object?[] _items = new object?[4];
                private int _size;

                public void Add(object item) => _items[_size++] = item;

                public void Set(int index, object? item) => _items[index] = item;

                public void RemoveAt(int index)
                {
                    _size--;
                    SHIFT;
                }
            }

            public static class Demo
            {
                [MethodImpl(MethodImplOptions.NoInlining)]
                private static WeakReference Fill(Bag bag)
                {
                    var removed = new byte[1 << 20];
                    bag.Add(new object());
                    bag.Add(removed);
                    bag.RemoveAt(0);    // [removed, removed]: the last slot is the stale copy
                    bag.Set(0, null);   // the bag no longer counts it anywhere
                    return new WeakReference(removed);
                }

                public static bool RemovedItemSurvives()
                {
                    var bag = new Bag();
                    var removed = Fill(bag);
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    bool alive = removed.IsAlive;
                    GC.KeepAlive(bag);
                    return alive;
                }
            }
            """;

        [Fact]
        public async Task TheRuntimeKeepsWhatTheStaleSlotReferencesAndTheFixReleasesIt()
        {
            string flagged = BagDemo.Replace("SHIFT", "[|Array.Copy(_items, index + 1, _items, index, _size - index)|]");
            string fixedCode = BagDemo.Replace("SHIFT;", "Array.Copy(_items, index + 1, _items, index, _size - index);\n        _items[_size] = default;");
            await Fix.VerifyAsync(flagged, fixedCode);

            Assert.True(CompiledSample.Run<bool>(flagged.Replace("[|", string.Empty).Replace("|]", string.Empty), "Demo", "RemovedItemSurvives"));
            Assert.False(CompiledSample.Run<bool>(fixedCode, "Demo", "RemovedItemSurvives"));
        }
    }
}
