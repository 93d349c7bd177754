using System.Globalization;

namespace Sockit.LoadTest.Children;

/// <summary>Reads a process's memory the same way for every server, .NET or not: Linux's <c>/proc</c>.</summary>
internal static class ProcStatus
{
    /// <summary><c>sysconf(_SC_CLK_TCK)</c>: 100 on every Linux this runs on (x86-64 and arm64 builds).</summary>
    private const int ClockTicksPerSecond = 100;

    /// <summary>VmRSS in bytes, or -1 where there is no <c>/proc</c>.</summary>
    public static long ReadRssBytes(int processId) => ReadStatusBytes(processId, "VmRSS:");

    /// <summary>The number of threads of the process, or -1.</summary>
    public static long ReadThreads(int processId)
    {
        var path = $"/proc/{processId}/status";
        if (!File.Exists(path))
        {
            return -1;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan("Threads:".Length).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    /// <summary>VmHWM (the peak RSS since the start or since <see cref="ResetPeak"/>) in bytes, or -1.</summary>
    public static long ReadPeakRssBytes(int processId) => ReadStatusBytes(processId, "VmHWM:");

    /// <summary>
    /// Resets the process's VmHWM to its current RSS (<c>echo 5 &gt; /proc/PID/clear_refs</c>, Linux 4.0 and later),
    /// so the next <see cref="ReadPeakRssBytes"/> is the peak since now. False where that is not allowed.
    /// </summary>
    public static bool ResetPeak(int processId)
    {
        try
        {
            File.WriteAllText($"/proc/{processId}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Bytes written so far by the descendants of <paramref name="processId"/> (the sum of their <c>wchar</c> in
    /// <c>/proc/PID/io</c>): for a server running one command, how much output that command has produced.
    /// </summary>
    public static long ReadDescendantsWrittenBytes(int processId)
    {
        long total = 0;
        foreach (int pid in Descendants(processId))
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/io"))
                {
                    if (line.StartsWith("wchar:", StringComparison.Ordinal))
                    {
                        total += long.Parse(line.AsSpan("wchar:".Length).Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // It exited while being read.
            }
        }

        return total;
    }

    /// <summary>The ids and states (<c>R</c>, <c>S</c>, ...) of the descendants of <paramref name="processId"/>, with what each waits in (<c>wchan</c>).</summary>
    public static IReadOnlyList<(int Pid, string Name, char State, string WaitChannel)> DescribeDescendants(int processId)
    {
        var result = new List<(int, string, char, string)>();
        foreach (int pid in Descendants(processId))
        {
            if (ReadStat(pid) is not { } stat)
            {
                continue;
            }

            string wchan;
            try
            {
                wchan = File.ReadAllText($"/proc/{pid}/wchan");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                wchan = "?";
            }

            result.Add((pid, stat.Name, stat.State, wchan.Length == 0 || wchan == "0" ? "-" : wchan));
        }

        return result;
    }

    /// <summary>
    /// The whole machine's CPU time from the first line of <c>/proc/stat</c>, in clock ticks: busy (everything but idle
    /// and I/O wait) and total. Two readings give how many cores were busy in between, whoever used them.
    /// </summary>
    public static (long Busy, long Total) ReadMachineTicks()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long total = 0;
            long idle = 0;
            for (int i = 1; i < fields.Length && i <= 8; i++)
            {
                long value = long.Parse(fields[i], CultureInfo.InvariantCulture);
                total += value;
                if (i is 4 or 5)
                {
                    idle += value;
                }
            }

            return (total - idle, total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }

    /// <summary>Cores busy between two <see cref="ReadMachineTicks"/> readings (all processes on the machine).</summary>
    public static double BusyCores((long Busy, long Total) before, (long Busy, long Total) after) =>
        after.Total > before.Total ? (double)(after.Busy - before.Busy) / (after.Total - before.Total) * Environment.ProcessorCount : double.NaN;

    private static IEnumerable<int> Descendants(int processId)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && ReadStat(pid) is { } stat)
            {
                if (!children.TryGetValue(stat.ParentId, out var list))
                {
                    children[stat.ParentId] = list = [];
                }

                list.Add(pid);
            }
        }

        var pending = new Stack<int>([processId]);
        while (pending.TryPop(out int parent))
        {
            if (children.TryGetValue(parent, out var list))
            {
                foreach (int child in list)
                {
                    yield return child;
                    pending.Push(child);
                }
            }
        }
    }

    /// <summary>
    /// CPU time of the children <paramref name="processId"/> has waited for (<c>cutime</c> + <c>cstime</c> in
    /// <c>/proc/PID/stat</c>): for a server, what its finished commands used; for this tool, its finished child
    /// processes. <see cref="TimeSpan.Zero"/> where there is no <c>/proc</c>.
    /// </summary>
    public static TimeSpan ReadChildrenCpu(int processId)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{processId}/stat");
            var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');

            // After the name: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17), numbered from pid = 1.
            long ticks = long.Parse(rest[13], CultureInfo.InvariantCulture) + long.Parse(rest[14], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>The name, state and parent from <c>/proc/PID/stat</c>: "pid (name) state ppid ...".</summary>
    private static (string Name, char State, int ParentId)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        int open = text.IndexOf('(', StringComparison.Ordinal);
        int close = text.LastIndexOf(')');
        if (open < 0 || close < open || close + 4 >= text.Length)
        {
            return null;
        }

        var rest = text[(close + 2)..].Split(' ');
        return (text[(open + 1)..close], rest[0][0], int.Parse(rest[1], CultureInfo.InvariantCulture));
    }

    private static long ReadStatusBytes(int processId, string field)
    {
        var path = $"/proc/{processId}/status";
        if (!File.Exists(path))
        {
            return -1;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                // "VmRSS:     123456 kB"
                var kib = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }
}
