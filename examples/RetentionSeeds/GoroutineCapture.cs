using System;
using System.Runtime.CompilerServices;

namespace RetentionSeeds
{
    /// <summary>Seed 001: a goroutine that reads <c>data[0]</c> keeps the whole 1,000-element slice alive for an hour.
    /// A long-lived C# lambda does the same to everything it captures. LA2005 names the captured array; the fix
    /// captures only the element.</summary>
    public static class GoroutineCapture
    {
        private static Func<object>? s_worker;

#pragma warning disable LA2005 // the seed's bug, kept to show the rule: remove this line to see LA2005
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static WeakReference StartWorker()
        {
            var data = new object[1000];
            data[0] = "first";
            var weak = new WeakReference(data);
            s_worker = () => data[0];
            return weak;
        }
#pragma warning restore LA2005

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static WeakReference StartWorkerFixed()
        {
            var data = new object[1000];
            data[0] = "first";
            var weak = new WeakReference(data);
            object first = data[0];
            s_worker = () => first;
            return weak;
        }

        public static bool WorkerRuns() => s_worker?.Invoke() is "first";
    }
}
