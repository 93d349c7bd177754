namespace Sockit.Protocol.Framing;

/// <summary>
/// The limits a frame reader enforces before it waits for or allocates anything a length field announces.
/// </summary>
/// <param name="MaxHeaderLength">Largest header, in bytes, that the 4-byte length prefix may announce.</param>
/// <param name="MaxBodyLength">
/// Largest <c>data_size</c> accepted at all. Operations apply smaller limits of their own on top of this one.
/// </param>
public sealed record FrameLimits(int MaxHeaderLength, long MaxBodyLength)
{
    /// <summary>64 KiB, the default header limit.</summary>
    public const int DefaultMaxHeaderLength = 64 * 1024;

    /// <summary>1 TiB, the default absolute body ceiling (file bodies are streamed, never held whole).</summary>
    public const long DefaultMaxBodyLength = 1L << 40;

    /// <summary>The defaults: 64 KiB headers and a 1 TiB body ceiling.</summary>
    public static FrameLimits Default { get; } = new(DefaultMaxHeaderLength, DefaultMaxBodyLength);
}
