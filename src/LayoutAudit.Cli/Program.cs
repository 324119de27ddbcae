using System;
using System.Threading;
using System.Threading.Tasks;

namespace LayoutAudit.Cli
{
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            using var cancellation = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                cancellation.Cancel();
            };
            return await LayoutAuditCommand.RunAsync(args, Console.Out, Console.Error, cancellation.Token).ConfigureAwait(false);
        }
    }
}
