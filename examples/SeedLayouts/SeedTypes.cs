using System.Runtime.InteropServices;
using LayoutAudit;

// The types of the seed documents, retold in C#. Each is [AuditLayout]: the build writes its report (see
// obj/.../generated or the build reports) and registers its prediction, which Program checks against the runtime.
namespace SeedLayouts
{
    /// <summary>Seed 003's <c>Bad struct { A bool; B int64 }</c>: a 7-byte hole after <c>A</c>.</summary>
    [AuditLayout]
    public struct Bad
    {
        public bool A;
        public long B;
    }

    /// <summary>Seed 003's <c>Better struct { B int64; A bool }</c>: the hole moves to the end. Both are 16 bytes on
    /// 64-bit, so neither gets a suggestion: no field order is smaller.</summary>
    [AuditLayout]
    public struct Better
    {
        public long B;
        public bool A;
    }

    /// <summary>Seed 002's map header (count, flags, B, noverflow, hash0) in a careless order: every small field
    /// sits before a wider one, so reordering really shrinks it.</summary>
    [AuditLayout]
    public struct BucketHeader
    {
        public byte Flags;
        public long Count;
        public byte LogBuckets;
        public uint HashSeed;
        public ushort Overflows;
    }

    /// <summary>Seed 000's sub-slice of a 1 GB log: a small view that holds a reference to the whole backing array.
    /// A struct holding references gets automatic layout: the CLR puts the reference first, whatever the order.</summary>
    [AuditLayout]
    public struct LogSlice
    {
        public int Offset;
        public byte[] Backing;
        public int Length;
        public bool Dirty;
    }

    /// <summary>Seed 001's slice header <c>[ Pointer | Length | Capacity ]</c> with offsets chosen by hand: explicit
    /// layout keeps them, and the 4 bytes between Length and Capacity are a hole.</summary>
    [AuditLayout]
    [StructLayout(LayoutKind.Explicit)]
    public struct SliceHeader
    {
        [FieldOffset(0)] public nint Data;
        [FieldOffset(8)] public int Length;
        [FieldOffset(16)] public int Capacity;
    }

    /// <summary>Seed 004's <c>struct{}</c>, zero bytes in Go, as a set's value. In C# an empty struct is 1 byte.</summary>
    [AuditLayout]
    public struct Present
    {
    }

    /// <summary>Two counters written by two threads: on one cache line, every write by one thread evicts the line
    /// from the other's cache (false sharing).</summary>
    [AuditLayout]
    public sealed class SharedCounters
    {
        [WrittenBy("producer")] public long Produced;
        [WrittenBy("consumer")] public long Consumed;
    }

    /// <summary>The same counters a cache line apart.</summary>
    [AuditLayout]
    [StructLayout(LayoutKind.Explicit)]
    public struct SeparatedCounters
    {
        [FieldOffset(0)] [WrittenBy("producer")] public long Produced;
        [FieldOffset(64)] [WrittenBy("consumer")] public long Consumed;
    }
}
