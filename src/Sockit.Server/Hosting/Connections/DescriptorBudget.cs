using System.Runtime.InteropServices;

namespace Sockit.Server.Hosting.Connections;

/// <summary>
/// How many file descriptors the process may open, and so how many connections it can really hold. Every connection
/// costs one descriptor; a server that accepts until the kernel says <c>EMFILE</c> can no longer open a log file, a
/// certificate or even the socket it needs to refuse the next client politely.
/// </summary>
internal sealed partial class DescriptorBudget
{
    private const int RlimitNofileLinux = 7;
    private const int RlimitNofileBsd = 8;

    /// <summary>Descriptors always kept free for everything that is not a connection.</summary>
    public const int MinimumReserve = 64;

    private DescriptorBudget(long? softLimit, long? hardLimit, long? raisedFrom, int inUse)
    {
        SoftLimit = softLimit;
        HardLimit = hardLimit;
        RaisedFrom = raisedFrom;
        InUse = inUse;
    }

    /// <summary>The open-file limit in force (after raising it); <see langword="null"/> when there is none to respect.</summary>
    public long? SoftLimit { get; }

    /// <summary>The ceiling the soft limit may be raised to.</summary>
    public long? HardLimit { get; }

    /// <summary>The soft limit before this process raised it, when it did.</summary>
    public long? RaisedFrom { get; }

    /// <summary>Descriptors already open when the budget was taken.</summary>
    public int InUse { get; }

    /// <summary>Descriptors kept free for files, logs and accepting: a tenth of what is left, and at least <see cref="MinimumReserve"/>.</summary>
    public long Reserve => SoftLimit is { } soft ? Math.Max(MinimumReserve, (soft - InUse) / 10) : 0;

    /// <summary>
    /// Raises the soft open-file limit to the hard one where the platform allows it, then counts what is in use.
    /// On platforms without such limits (Windows) the budget is unlimited.
    /// </summary>
    public static DescriptorBudget Take()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return new DescriptorBudget(null, null, null, 0);
        }

        int resource = OperatingSystem.IsLinux() ? RlimitNofileLinux : RlimitNofileBsd;
        if (GetRlimit(resource, out var limit) != 0)
        {
            return new DescriptorBudget(null, null, null, 0);
        }

        long? raisedFrom = null;
        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (SetRlimit(resource, in raised) == 0)
            {
                raisedFrom = (long)limit.Current;
                limit = raised;
            }
        }

        return new DescriptorBudget(AsLimit(limit.Current), AsLimit(limit.Maximum), raisedFrom, CountOpen());
    }

    /// <summary>A budget with the given figures, for tests and for reasoning about other machines.</summary>
    public static DescriptorBudget Of(long? softLimit, int inUse) => new(softLimit, softLimit, null, inUse);

    /// <summary>
    /// The connection limit to enforce: <paramref name="configured"/>, lowered so that the connections, what is
    /// already open and the <see cref="Reserve"/> fit under the soft limit. Never below 1.
    /// </summary>
    public int ConnectionLimit(int configured)
    {
        if (SoftLimit is not { } soft)
        {
            return configured;
        }

        long room = soft - InUse - Reserve;
        return (int)Math.Clamp(room, 1, configured);
    }

    /// <summary>
    /// The running-command limit to enforce: <paramref name="configured"/>, lowered so that the commands' descriptors
    /// (<see cref="DescriptorsPerCommand"/> each) take at most half of the <see cref="Reserve"/>. Commands must not eat
    /// the descriptors the connection limit counted on, or accepting fails and new clients wait for a hello that never
    /// comes. Never below 1.
    /// </summary>
    public int CommandLimit(int configured) => FitInReserve(configured, Reserve / 2, DescriptorsPerCommand);

    /// <summary>
    /// The transfer limit to enforce: <paramref name="configured"/>, lowered so that uploads and downloads in progress
    /// (<see cref="DescriptorsPerTransfer"/> each) take at most a quarter of the <see cref="Reserve"/>; commands have
    /// half, and the last quarter is for logs, accepting and short-lived descriptors. Never below 1.
    /// </summary>
    public int TransferLimit(int configured) => FitInReserve(configured, Reserve / 4, DescriptorsPerTransfer);

    /// <summary>What an upload or a download in progress holds: its home folder and its file.</summary>
    public const int DescriptorsPerTransfer = 2;

    /// <summary>
    /// What a running command holds: the server's ends of its stdin, stdout and stderr socket pairs, and the pidfd it
    /// is reaped through. Starting one briefly takes the child's three ends too, which the other half of the reserve
    /// covers.
    /// </summary>
    public const int DescriptorsPerCommand = 4;

    /// <summary>How many of <paramref name="each"/> descriptors fit in <paramref name="share"/>, at least 1 and at most <paramref name="configured"/>.</summary>
    private int FitInReserve(int configured, long share, int each) =>
        SoftLimit is null ? configured : (int)Math.Clamp(share / each, 1, configured);

    private static long? AsLimit(ulong value) => value >= long.MaxValue ? null : (long)value;

    private static int CountOpen()
    {
        try
        {
            return OperatingSystem.IsLinux()
                ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count()
                : Directory.EnumerateFileSystemEntries("/dev/fd").Count();
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct RLimit(ulong Current, ulong Maximum);

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetRlimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit")]
    private static partial int SetRlimit(int resource, in RLimit limit);
}
