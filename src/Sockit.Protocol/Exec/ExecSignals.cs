namespace Sockit.Protocol.Exec;

/// <summary>
/// The signals of <c>exec</c>, by their names without <c>SIG</c>, with their Linux numbers (x86-64 and arm64). Client and
/// server name a signal on the wire, never by number alone, because numbers differ between systems.
/// </summary>
public static class ExecSignals
{
    private static readonly (string Name, int Number)[] Known =
    [
        ("HUP", 1), ("INT", 2), ("QUIT", 3), ("ILL", 4), ("TRAP", 5), ("ABRT", 6), ("BUS", 7), ("FPE", 8),
        ("KILL", 9), ("USR1", 10), ("SEGV", 11), ("USR2", 12), ("PIPE", 13), ("ALRM", 14), ("TERM", 15),
        ("STKFLT", 16), ("CHLD", 17), ("CONT", 18), ("STOP", 19), ("TSTP", 20), ("TTIN", 21), ("TTOU", 22),
        ("URG", 23), ("XCPU", 24), ("XFSZ", 25), ("VTALRM", 26), ("PROF", 27), ("WINCH", 28), ("IO", 29),
        ("PWR", 30), ("SYS", 31),
    ];

    /// <summary>The signals a client may send to a running command with a <c>control</c> frame.</summary>
    public static IReadOnlyList<string> Sendable { get; } = ["INT", "TERM", "HUP", "QUIT", "KILL", "USR1", "USR2", "TSTP", "CONT", "WINCH"];

    /// <summary>The name of signal <paramref name="number"/> (<c>KILL</c> for 9), or <c>SIGn</c> for one without a name here.</summary>
    public static string NameOf(int number)
    {
        foreach (var (name, value) in Known)
        {
            if (value == number)
            {
                return name;
            }
        }

        return $"SIG{number}";
    }

    /// <summary>The number of the signal a client may send, by name (with or without <c>SIG</c>, any case).</summary>
    public static bool TryGetSendable(string? name, out int number)
    {
        number = 0;
        if (name is null)
        {
            return false;
        }

        var bare = name.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? name[3..] : name;
        foreach (var sendable in Sendable)
        {
            if (string.Equals(sendable, bare, StringComparison.OrdinalIgnoreCase))
            {
                number = Known.First(k => k.Name == sendable).Number;
                return true;
            }
        }

        return false;
    }
}
