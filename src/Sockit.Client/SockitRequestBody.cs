namespace Sockit.Client;

/// <summary>
/// The body of a request: nothing, bytes already in memory, or a stream the client copies to the socket as it goes.
/// </summary>
/// <remarks>
/// The request header's <c>data_size</c> must equal <see cref="Length"/>; <see cref="SockitClient"/> checks this
/// before sending, because a mismatch would leave the connection out of step with the server.
/// </remarks>
public readonly struct SockitRequestBody
{
    private SockitRequestBody(ReadOnlyMemory<byte> memory, Stream? stream, long length)
    {
        Memory = memory;
        Stream = stream;
        Length = length;
    }

    /// <summary>No body (<c>data_size</c> 0).</summary>
    public static SockitRequestBody Empty => default;

    /// <summary>The body's size in bytes.</summary>
    public long Length { get; }

    /// <summary>The bytes of an in-memory body; empty for a stream body.</summary>
    public ReadOnlyMemory<byte> Memory { get; }

    /// <summary>The source of a streamed body, or <see langword="null"/>.</summary>
    public Stream? Stream { get; }

    /// <summary>A body whose bytes are already in memory.</summary>
    public static SockitRequestBody FromMemory(ReadOnlyMemory<byte> bytes) => new(bytes, null, bytes.Length);

    /// <summary>
    /// A body read from <paramref name="stream"/> while it is sent: exactly <paramref name="length"/> bytes are read.
    /// The stream is not disposed.
    /// </summary>
    public static SockitRequestBody FromStream(Stream stream, long length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!stream.CanRead)
        {
            throw new ArgumentException("the body stream must be readable", nameof(stream));
        }

        return new(ReadOnlyMemory<byte>.Empty, stream, length);
    }
}
