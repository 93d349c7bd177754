using Sockit.Client.Auth;
using Sockit.Client.Tls;
using Sockit.Protocol.Framing;

namespace Sockit.Client;

/// <summary>How a <see cref="SockitClient"/> connects and how long it waits.</summary>
public sealed record SockitClientOptions
{
    /// <summary>The defaults: 10 s to connect, 30 s per reply, the protocol's default frame limits.</summary>
    public static SockitClientOptions Default { get; } = new();

    /// <summary>
    /// Longest wait for the connection and the server's hello together.
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest wait for a reply to start, and for each further piece of a frame once it has begun (so a large download
    /// may take as long as it needs while it keeps moving). Also bounds each write. Streamed calls have no reply
    /// timeout of their own: their cancellation token bounds them.
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many events wait for each <see cref="SockitSubscription"/> before newer ones are dropped (256, as the
    /// server's own queue).
    /// </summary>
    public int EventQueueLength { get; init; } = 256;

    /// <summary>The largest header and body the client accepts from the server.</summary>
    public FrameLimits FrameLimits { get; init; } = FrameLimits.Default;

    /// <summary>
    /// Logs in right after the hello when set; the connection fails if the login does. <see langword="null"/> stays
    /// anonymous (a later <see cref="SockitClient.LoginAsync"/> can still log in).
    /// </summary>
    public SockitCredentials? Credentials { get; init; }

    /// <summary>How to trust the server of a <c>tls://</c> address; unused for other addresses.</summary>
    public SockitTlsOptions Tls { get; init; } = SockitTlsOptions.Default;

    internal void Validate()
    {
        ValidateTimeout(ConnectTimeout, nameof(ConnectTimeout));
        ValidateTimeout(ReplyTimeout, nameof(ReplyTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(EventQueueLength, 1, nameof(EventQueueLength));
        ArgumentNullException.ThrowIfNull(FrameLimits);
        ArgumentNullException.ThrowIfNull(Tls);
        Tls.Validate();
    }

    internal static void ValidateTimeout(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, "a timeout must be positive or Timeout.InfiniteTimeSpan");
        }
    }
}
