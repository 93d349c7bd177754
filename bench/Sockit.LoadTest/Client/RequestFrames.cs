using System.Buffers.Binary;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.LoadTest.Client;

/// <summary>
/// The request bytes of a run, encoded once: <see cref="Batch"/> holds as many copies of the frame as may be in
/// flight, so sending M requests is one send of its first M frames.
/// </summary>
/// <remarks>
/// With <c>distinctIds</c> every slot of the in-flight ring has its own <c>id</c> (protocol 2 refuses a request whose
/// <c>id</c> is still in flight with <c>duplicate_id</c>, and a request that streams its reply is still in flight when
/// the next one arrives). The ids all have the same number of digits, so every frame has the same length, and the
/// batch holds the ring twice, so the M frames from any slot on are one contiguous send (<see cref="Slice"/>).
/// <para>
/// For the raw baseline the Sockit frame is wrapped in one more length prefix: the raw server echoes it as
/// opaque bytes, and the client parses the echoed JSON head exactly as it parses a Sockit reply. Both sides
/// of the comparison thus carry the same bytes (4 more for raw) and the client does the same work per reply.
/// </para>
/// </remarks>
public sealed class RequestFrames
{
    /// <summary>Largest batch buffer the tool builds; pipeline times frame size must fit.</summary>
    public const int MaxBatchBytes = 256 * 1024 * 1024;

    /// <summary>The first id with <c>distinctIds</c>; slot i gets this + i, all with the same number of digits.</summary>
    public const long DistinctIdBase = 1_000_000_000;

    private RequestFrames(byte[] batch, int frameLength, bool wrapped, bool framed, int size, bool distinctIds)
    {
        Batch = batch;
        DistinctIds = distinctIds;
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

    /// <summary>Whether each slot of the in-flight ring carries its own id (see the remarks).</summary>
    public bool DistinctIds { get; }

    /// <summary>The bytes of <paramref name="count"/> requests for the ring slots from <paramref name="slot"/> on.</summary>
    public ReadOnlyMemory<byte> Slice(int slot, int count) =>
        Batch.AsMemory(DistinctIds ? slot * FrameLength : 0, count * FrameLength);

    public static RequestFrames Create(Target target, int size, int pipeline, bool distinctIds = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        var body = new byte[size];
        for (int i = 0; i < body.Length; i++)
        {
            body[i] = (byte)('a' + (i % 26));
        }

        bool wrapped = target.Kind == TargetKind.Raw;
        var frame = Encode(distinctIds ? DistinctIdBase : 1, body, wrapped);
        int copies = distinctIds ? 2 * pipeline : pipeline;
        if ((long)frame.Length * copies > MaxBatchBytes)
        {
            throw new ArgumentException($"--pipeline {pipeline} x {frame.Length}-byte frames exceeds {MaxBatchBytes} bytes");
        }

        var batch = new byte[frame.Length * copies];
        for (int i = 0; i < copies; i++)
        {
            var copy = distinctIds ? Encode(DistinctIdBase + (i % pipeline), body, wrapped) : frame;
            if (copy.Length != frame.Length)
            {
                throw new InvalidOperationException("the frames of distinct ids differ in length");
            }

            copy.CopyTo(batch, i * frame.Length);
        }

        return new RequestFrames(batch, frame.Length, wrapped, target.IsFramed, size, distinctIds);
    }

    private static byte[] Encode(long id, byte[] body, bool wrapped)
    {
        var frame = FrameWriter.Encode(new EchoRequest { Id = id, DataSize = body.Length }, SockitJsonContext.Default.EchoRequest, body);
        if (!wrapped)
        {
            return frame;
        }

        var outer = new byte[FrameParser.PrefixLength + frame.Length];
        BinaryPrimitives.WriteInt32LittleEndian(outer, frame.Length);
        frame.CopyTo(outer, FrameParser.PrefixLength);
        return outer;
    }

    public ReplyScanner NewScanner() => new(Wrapped, Framed, Size);
}
