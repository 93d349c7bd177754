namespace Sockit.Server.Hosting.Transport;

/// <summary>How long an accept loop waits after the system refused it a descriptor: doubling from the first to the longest wait.</summary>
internal readonly record struct AcceptBackoff(TimeSpan First, TimeSpan Longest)
{
    /// <summary>10 ms doubling up to 1 s: short enough to pick up again quickly, long enough not to spin.</summary>
    public static AcceptBackoff Default { get; } = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));

    /// <summary>The wait after <paramref name="current"/>.</summary>
    public TimeSpan Next(TimeSpan current) => current < First ? First : TimeSpan.FromTicks(Math.Min(current.Ticks * 2, Longest.Ticks));
}
