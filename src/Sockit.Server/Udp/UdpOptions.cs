namespace Sockit.Server.Udp;

/// <summary>
/// Limits on what the UDP endpoints send back (<c>Sockit:Udp</c>). A UDP source address can be forged, so every reply
/// may land on a third party: replies are rate-limited per source address to keep the server from being used to
/// flood someone else.
/// </summary>
public sealed class UdpOptions
{
    /// <summary>Replies per second a single source address gets on average; 0 turns the limit off.</summary>
    public double RepliesPerSecond { get; set; } = 50;

    /// <summary>How many replies a source that has been quiet may get at once before the rate applies.</summary>
    public int ReplyBurst { get; set; } = 100;

    /// <summary>
    /// How many source addresses each endpoint keeps a budget for. Past it, sources not yet tracked share one
    /// budget, so forging many addresses cannot grow the server's memory or lift the limit.
    /// </summary>
    public int MaxTrackedSources { get; set; } = 10_000;
}
