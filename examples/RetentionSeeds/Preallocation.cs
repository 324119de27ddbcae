using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace RetentionSeeds
{
    /// <summary>Seeds 002 and 003: pre-allocate slices and maps when the size is known. LA2006 reports the collection;
    /// the fix passes the capacity.</summary>
    public static class Preallocation
    {
#pragma warning disable LA2006 // the seed's advice ignored, kept to show the rule: remove this line to see LA2006
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static Dictionary<string, int> Index(string[] names)
        {
            var positions = new Dictionary<string, int>();
            for (int i = 0; i < names.Length; i++)
            {
                positions[names[i]] = i;
            }

            return positions;
        }
#pragma warning restore LA2006

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static Dictionary<string, int> IndexFixed(string[] names)
        {
            var positions = new Dictionary<string, int>(names.Length);
            for (int i = 0; i < names.Length; i++)
            {
                positions[names[i]] = i;
            }

            return positions;
        }

        /// <summary>Bytes one call allocates on this thread (after a warm-up call).</summary>
        public static long AllocatedBytes(Func<string[], Dictionary<string, int>> index, string[] names)
        {
            index(names);
            long before = GC.GetAllocatedBytesForCurrentThread();
            index(names);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }
}
