using System.Buffers.Binary;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.LoadTest.Client;

/// <summary>
/// The request bytes of a run, encoded once: <see cref="Batch"/> holds as many copies of the frame as may be in
/// flight, so sending M requests is one send of its first M frames.
/// </summary>
/// <remarks>
/// For the raw baseline the Sockit frame is wrapped in one more length prefix: the raw server echoes it as
/// opaque bytes, and the client parses the echoed JSON head exactly as it parses a Sockit reply. Both sides
/// of the comparison thus carry the same bytes (4 more for raw) and the client does the same work per reply.
/// </remarks>
public sealed class RequestFrames
{
    /// <summary>Largest batch buffer the tool builds; pipeline times frame size must fit.</summary>
    public const int MaxBatchBytes = 256 * 1024 * 1024;

    private RequestFrames(byte[] batch, int frameLength, bool wrapped, bool framed, int size)
    {
        Batch = batch;
        FrameLength = frameLength;
        Wrapped = wrapped;
        Framed = framed;
        Size = size;
    }

    public byte[] Batch { get; }

    public int FrameLength { get; }

    /// <summary>Whether each frame carries the raw baseline's extra length prefix.</summary>
    public bool Wrapped { get; }

    /// <summary>Whether the server speaks the framed protocol (hello first, replies say <c>ok</c>).</summary>
    public bool Framed { get; }

    /// <summary>The echo body size.</summary>
    public int Size { get; }

    public static RequestFrames Create(Target target, int size, int pipeline)
    {
        ArgumentNullException.ThrowIfNull(target);
        var body = new byte[size];
        for (int i = 0; i < body.Length; i++)
        {
            body[i] = (byte)('a' + (i % 26));
        }

        var frame = FrameWriter.Encode(new EchoRequest { Id = 1, DataSize = size }, SockitJsonContext.Default.EchoRequest, body);
        bool wrapped = target.Kind == TargetKind.Raw;
        if (wrapped)
        {
            var outer = new byte[FrameParser.PrefixLength + frame.Length];
            BinaryPrimitives.WriteInt32LittleEndian(outer, frame.Length);
            frame.CopyTo(outer, FrameParser.PrefixLength);
            frame = outer;
        }

        if ((long)frame.Length * pipeline > MaxBatchBytes)
        {
            throw new ArgumentException($"--pipeline {pipeline} x {frame.Length}-byte frames exceeds {MaxBatchBytes} bytes");
        }

        var batch = new byte[frame.Length * pipeline];
        for (int i = 0; i < pipeline; i++)
        {
            frame.CopyTo(batch, i * frame.Length);
        }

        return new RequestFrames(batch, frame.Length, wrapped, target.IsFramed, size);
    }

    public ReplyScanner NewScanner() => new(Wrapped, Framed, Size);
}
