using System.Globalization;

namespace Sockit.LoadTest.Children;

/// <summary>Reads a process's memory the same way for every server, .NET or not: Linux's <c>/proc</c>.</summary>
internal static class ProcStatus
{
    /// <summary>VmRSS in bytes, or -1 where there is no <c>/proc</c>.</summary>
    public static long ReadRssBytes(int processId)
    {
        var path = $"/proc/{processId}/status";
        if (!File.Exists(path))
        {
            return -1;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                // "VmRSS:     123456 kB"
                var kib = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }
}
