using System.Globalization;

namespace Sockit.IntegrationTests.Exec;

/// <summary>What <c>/proc</c> says about a process group: whether any process of it still runs.</summary>
internal static class ProcessGroup
{
    /// <summary>The ids of the live (not zombie) processes in group <paramref name="pgid"/>.</summary>
    public static List<int> LiveMembers(int pgid)
    {
        var members = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // exited while we looked
            }

            // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after its last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] != "Z" && int.Parse(fields[2], CultureInfo.InvariantCulture) == pgid)
            {
                members.Add(pid);
            }
        }

        return members;
    }

    /// <summary>
    /// Waits until group <paramref name="pgid"/> has no live process. The kernel gives no event for the death of a
    /// process that is not our child, so /proc is looked at again every few milliseconds, up to <paramref name="limit"/>.
    /// </summary>
    public static async Task AssertEmptiesAsync(int pgid, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        List<int> members;
        while ((members = LiveMembers(pgid)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(members.Count == 0, $"processes of group {pgid} still run: {string.Join(", ", members)}");
    }
}
