using Xunit;

namespace LayoutAudit.Fuzz.Tests
{
    /// <summary>Tests that time how soon work stops after a cancellation run alone, after the others: sharing the
    /// process's thread pool with the fuzz runs delays the cancelled run's continuations by seconds on two cores,
    /// which measures the machine, not the extensions.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class TimingCollection
    {
        public const string Name = "Timing";
    }
}
