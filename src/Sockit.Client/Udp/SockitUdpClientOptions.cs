namespace Sockit.Client.Udp;

/// <summary>How a <see cref="SockitUdpClient"/> waits for replies.</summary>
public sealed record SockitUdpClientOptions
{
    /// <summary>The defaults: a 5 s reply timeout.</summary>
    public static SockitUdpClientOptions Default { get; } = new();

    /// <summary>
    /// Longest wait for the server's reply to a datagram. UDP gives no sign that nobody is listening, so this is
    /// how an absent server shows. <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Called for each datagram that arrives from an address other than the server's and is ignored.</summary>
    public Action<IgnoredDatagram>? OnIgnoredDatagram { get; init; }
}
