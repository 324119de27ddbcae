using System;
using LayoutAudit;
using LayoutAudit.Reports;
using LayoutAudit.Runtime;

namespace SeedLayouts
{
    /// <summary>Prints the layout the generator predicted for each seed type, then checks it against the running
    /// runtime. Exits with 1 if any prediction is wrong.</summary>
    public static class Program
    {
        public static int Main()
        {
            int wrong = 0;
            wrong += Show<Bad>("seed 003, Bad{bool; int64}");
            wrong += Show<Better>("seed 003, Better{int64; bool}: as large as Bad, so no suggestion for either");
            wrong += Show<BucketHeader>("seed 002, a map header in a careless order: reordering saves bytes");
            wrong += Show<LogSlice>("seed 000, a small slice holding the whole log's array");
            wrong += Show<SliceHeader>("seed 001, the slice header with explicit offsets");
            wrong += Show<Present>("seed 004, struct{} as a set's value: 1 byte in C#, not 0");
            wrong += Show<SharedCounters>("two counters written by two threads, on one cache line");
            wrong += Show<SeparatedCounters>("the same counters a cache line apart");
            return wrong == 0 ? 0 : 1;
        }

        private static int Show<T>(string story)
        {
            Console.WriteLine("// " + story);
            Console.Write(TextReport.Render(LayoutVerifier.GetPrediction(typeof(T))));
            try
            {
                LayoutVerifier.Verify<T>();
                Console.WriteLine("runtime: same layout");
                Console.WriteLine();
                return 0;
            }
            catch (LayoutMismatchException mismatch)
            {
                Console.WriteLine("runtime: DIFFERENT");
                Console.WriteLine(mismatch.Message);
                Console.WriteLine();
                return 1;
            }
        }
    }
}
