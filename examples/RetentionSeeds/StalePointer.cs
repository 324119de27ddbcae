using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace RetentionSeeds
{
    /// <summary>Seed 002: "a stored pointer to a slice element went stale when the slice was appended to". A span from
    /// CollectionsMarshal.AsSpan points into the list's array; when the list grows it moves to a new one. LA2002
    /// reports the use of the old span.</summary>
    public static class StalePointer
    {
        public static int WriteAfterGrowth()
        {
            var prices = new List<int>(4) { 10, 20, 30, 40 };
            var span = CollectionsMarshal.AsSpan(prices);
            prices.Add(50);
#pragma warning disable LA2002 // the seed's bug, kept to show the rule: remove this line to see LA2002
            span[0] = 99;
#pragma warning restore LA2002
            return prices[0];
        }

        public static int WriteAfterGrowthFixed()
        {
            var prices = new List<int>(4) { 10, 20, 30, 40 };
            prices.Add(50);
            var span = CollectionsMarshal.AsSpan(prices);
            span[0] = 99;
            return prices[0];
        }
    }
}
