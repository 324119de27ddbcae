using System;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace RetentionSeeds
{
    /// <summary>Seed 003: pool buffers to avoid garbage. A pooled array that still references objects keeps them alive
    /// for as long as the pool holds it. LA2003 reports the Return; the fix clears the array.</summary>
    public static class PooledBuffers
    {
        private static readonly ArrayPool<object> s_pool = ArrayPool<object>.Create();

#pragma warning disable LA2003 // the seed's bug, kept to show the rule: remove this line to see LA2003
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static WeakReference Batch()
        {
            object[] batch = s_pool.Rent(64);
            var request = new byte[1 << 20];
            batch[0] = request;
            s_pool.Return(batch);
            return new WeakReference(request);
        }
#pragma warning restore LA2003

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static WeakReference BatchFixed()
        {
            object[] batch = s_pool.Rent(64);
            var request = new byte[1 << 20];
            batch[0] = request;
            s_pool.Return(batch, clearArray: true);
            return new WeakReference(request);
        }
    }
}
