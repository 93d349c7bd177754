namespace Sockit.Protocol.Framing;

/// <summary>How a <see cref="FrameReader"/> bounds what it reads and how long it waits.</summary>
public sealed record FrameReaderOptions
{
    /// <summary>Header and body limits, checked before anything is waited for or allocated.</summary>
    public FrameLimits Limits { get; init; } = FrameLimits.Default;

    /// <summary>
    /// Longest wait for the first byte of a frame, and for each piece of a body.
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Longest wait for the rest of a header once its first byte has arrived, so a slow or silent peer
    /// cannot hold a connection open forever. <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan HeaderTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// When set, this shared ticker enforces <see cref="IdleTimeout"/> and <see cref="HeaderTimeout"/> instead
    /// of a timer armed for every read: cheaper per read, accurate to the ticker's resolution.
    /// </summary>
    public FrameDeadlines? Deadlines { get; init; }

    /// <summary>The <c>op</c> names to hand back without allocating (see <see cref="FrameNames"/>).</summary>
    public FrameNames Names { get; init; } = FrameNames.Empty;
}
