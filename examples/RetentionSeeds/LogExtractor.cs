using System;
using System.Runtime.CompilerServices;

namespace RetentionSeeds
{
    /// <summary>Seed 000: Ethan's log parser reads a whole log file, returns the 500 bytes after "FATAL", and the server
    /// keeps the whole file in memory. LA2001 reports the returned slice; the fix copies it.</summary>
    public static class LogExtractor
    {
        private static WeakReference? s_log;

        /// <summary>Stands in for File.ReadAllBytes on a huge log (16 MiB instead of 1 GB).</summary>
        private static byte[] ReadMassiveLogFile()
        {
            var log = new byte[16 << 20];
            "FATAL: stack trace follows"u8.CopyTo(log.AsSpan(9 << 20));
            s_log = new WeakReference(log);
            return log;
        }

#pragma warning disable LA2001 // the seed's bug, kept to show the rule: remove this line to see LA2001
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static ReadOnlyMemory<byte> ExtractErrorBlock()
        {
            byte[] massiveLogFile = ReadMassiveLogFile();
            int start = massiveLogFile.AsSpan().IndexOf("FATAL"u8);
            return massiveLogFile.AsMemory(start, 500);
        }
#pragma warning restore LA2001

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static ReadOnlyMemory<byte> ExtractErrorBlockFixed()
        {
            byte[] massiveLogFile = ReadMassiveLogFile();
            int start = massiveLogFile.AsSpan().IndexOf("FATAL"u8);
            return massiveLogFile.AsMemory(start, 500).ToArray();
        }

        /// <summary>Whether the whole log is still in memory while the server holds the extracted block.</summary>
        public static bool LogStaysAlive(Func<ReadOnlyMemory<byte>> extract)
        {
            var block = extract();
            bool alive = Memory.Survives(s_log!);
            GC.KeepAlive(block.ToString());
            return alive && block.Length == 500;
        }
    }
}
