using System;

namespace RetentionSeeds
{
    internal static class Memory
    {
        /// <summary>Whether the object behind <paramref name="weak"/> survives full, blocking collections.</summary>
        public static bool Survives(WeakReference weak)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return weak.IsAlive;
        }
    }
}
