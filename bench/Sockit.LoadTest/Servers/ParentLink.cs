using System.Globalization;

namespace Sockit.LoadTest.Servers;

/// <summary>
/// How a server child talks to the tool that started it: its port on standard output, then commands on
/// standard input until that closes. Exiting on end of input means a child never outlives its parent, even
/// when the parent is killed outright.
/// </summary>
internal static class ParentLink
{
    public static void ReportPort(int port) =>
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"port={port}"));

    /// <summary>Blocks, answering <c>stats</c> lines, until standard input ends or says <c>quit</c>.</summary>
    public static void ServeUntilClosed()
    {
        while (Console.In.ReadLine() is { } line)
        {
            switch (line.Trim())
            {
                case "stats":
                    // A full blocking collection first, so the managed figure is what is live, not garbage.
                    long managed = GC.GetTotalMemory(forceFullCollection: true);
                    var info = GC.GetGCMemoryInfo();
                    Console.Out.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"stats managed_bytes={managed} heap_bytes={info.HeapSizeBytes} committed_bytes={info.TotalCommittedBytes} working_set={Environment.WorkingSet}"));
                    break;
                case "quit":
                    return;
            }
        }
    }
}
