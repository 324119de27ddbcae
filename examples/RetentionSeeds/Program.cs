using System;
using System.Linq;

namespace RetentionSeeds
{
    /// <summary>Runs each seed scenario as written (the bug a retention rule reports) and as fixed, and prints what the
    /// runtime shows. Exits with 1 if the runtime does not show what the rule claims.</summary>
    public static class Program
    {
        public static int Main()
        {
            int wrong = 0;

            wrong += Show(
                "LA2001 seed 000, the log extractor: the 16 MiB log stays in memory for a 500-byte slice",
                LogExtractor.LogStaysAlive(LogExtractor.ExtractErrorBlock),
                LogExtractor.LogStaysAlive(LogExtractor.ExtractErrorBlockFixed));

            wrong += Show(
                "LA2002 seed 002, stale pointer after growth: a write through the old span is lost",
                StalePointer.WriteAfterGrowth() != 99,
                StalePointer.WriteAfterGrowthFixed() != 99);

            wrong += Show(
                "LA2003 seed 003, pooled buffers: a returned array keeps its 1 MiB request alive",
                Memory.Survives(PooledBuffers.Batch()),
                Memory.Survives(PooledBuffers.BatchFixed()));

            var backends = new Backends();
            var fixedBackends = new Backends();
            wrong += Show(
                "LA2004 seed 001, slice deletion: the removed backend lives on in the tail",
                Memory.Survives(SliceDeletion.RemoveAndReplace(backends, fixedRemove: false)),
                Memory.Survives(SliceDeletion.RemoveAndReplace(fixedBackends, fixedRemove: true)));
            GC.KeepAlive(backends);
            GC.KeepAlive(fixedBackends);

            bool workerKeepsData = Memory.Survives(GoroutineCapture.StartWorker()) && GoroutineCapture.WorkerRuns();
            bool fixedWorkerKeepsData = Memory.Survives(GoroutineCapture.StartWorkerFixed()) && GoroutineCapture.WorkerRuns();
            wrong += Show("LA2005 seed 001, the goroutine closure: a worker reading data[0] keeps all 1,000 elements", workerKeepsData, fixedWorkerKeepsData);

            var names = Enumerable.Range(0, 10_000).Select(i => "backend-" + i).ToArray();
            long growing = Preallocation.AllocatedBytes(Preallocation.Index, names);
            long sized = Preallocation.AllocatedBytes(Preallocation.IndexFixed, names);
            Console.WriteLine($"LA2006 seeds 002/003, pre-allocate maps: {growing:N0} bytes without the capacity, {sized:N0} with it");
            wrong += growing > sized ? 0 : 1;

            return wrong == 0 ? 0 : 1;
        }

        private static int Show(string story, bool asWritten, bool asFixed)
        {
            Console.WriteLine($"{story}: {(asWritten ? "yes" : "no")}; after the fix: {(asFixed ? "yes" : "no")}");
            return asWritten && !asFixed ? 0 : 1;
        }
    }
}
