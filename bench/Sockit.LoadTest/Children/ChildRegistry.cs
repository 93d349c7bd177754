using System.Diagnostics;

namespace Sockit.LoadTest.Children;

/// <summary>
/// Every server process the tool started and has not stopped yet, so an exit by any road (normal end,
/// exception, Ctrl+C, SIGTERM) can kill them. SIGKILL cannot be caught: children also exit when their
/// standard input closes, which the kernel does for a dead parent.
/// </summary>
internal static class ChildRegistry
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<Process> Live = [];

    public static void Add(Process process)
    {
        lock (Gate)
        {
            Live.Add(process);
        }
    }

    public static void Remove(Process process)
    {
        lock (Gate)
        {
            Live.Remove(process);
        }
    }

    public static void KillAll()
    {
        Process[] processes;
        lock (Gate)
        {
            processes = [.. Live];
            Live.Clear();
        }

        foreach (var process in processes)
        {
            Kill(process);
        }
    }

    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }
}
