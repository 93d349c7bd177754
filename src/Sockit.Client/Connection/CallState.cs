using System.Buffers;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.Client.Connection;

/// <summary>
/// The connection's side of a streamed call: its queue of parts, its output window and its input credit.
/// </summary>
/// <remarks>
/// The read loop copies each part into a pooled buffer and queues it, so a slow consumer holds up only its own call:
/// the server sends at most <see cref="OutputWindow"/> bytes of part bodies before the consumer takes some, and the
/// consumer grants them back as it moves on. Parts without a body are not windowed; past
/// <see cref="MaxQueuedParts"/> of them the read loop waits for the consumer.
/// </remarks>
internal sealed class CallState<TReply> : ReplyRequest<TReply>, IAsyncEnumerable<SockitPart>
{
    /// <summary>How many parts may wait in the queue before the read loop waits for the consumer.</summary>
    public const int MaxQueuedParts = 1024;

    private readonly Channel<QueuedPart> _parts = Channel.CreateBounded<QueuedPart>(
        new BoundedChannelOptions(MaxQueuedParts) { SingleReader = true, SingleWriter = true });

    private readonly SockitClient _client;
    private readonly long _window;
    private long _outputCredit;
    private long _ungranted;
    private int _enumerated;

    public CallState(SockitClient client, JsonTypeInfo<TReply> typeInfo, long outputWindow, long inputWindow)
        : base(typeInfo)
    {
        _client = client;
        _window = outputWindow;
        _outputCredit = outputWindow;
        Input = new InputCredit(inputWindow);
    }

    public override long? OutputWindow => _window;

    /// <summary>The call's input credit.</summary>
    public InputCredit Input { get; }

    /// <summary>
    /// Queues a part whose head the read loop has just read, copying its body off the connection. Waits only when
    /// the queue holds <see cref="MaxQueuedParts"/> parts.
    /// </summary>
    /// <exception cref="SockitProtocolException">The server sent more body bytes than it was granted.</exception>
    public override async ValueTask AcceptPartAsync(FrameHead head, CancellationToken cancellationToken)
    {
        long size = head.DataSize;
        long credit = Volatile.Read(ref _outputCredit);
        if (size > credit)
        {
            throw new SockitProtocolException(
                SockitErrorCode.FlowControl,
                $"{_client.Peer} sent a part of {size} bytes for request {Id} with only {credit} bytes of its window left",
                null,
                Id);
        }

        Interlocked.Add(ref _outputCredit, -size);
        int headerLength = (int)head.Header.Length;
        var part = new QueuedPart(ArrayPool<byte>.Shared.Rent(headerLength + (int)size), headerLength, (int)size, head.Op);
        head.Header.CopyTo(part.Buffer);
        bool queued = false;
        try
        {
            await _client.ReadFrameBodyAsync(part.Buffer.AsMemory(headerLength, (int)size), cancellationToken).ConfigureAwait(false);
            await _parts.Writer.WriteAsync(part, cancellationToken).ConfigureAwait(false);
            queued = true;
        }
        catch (ChannelClosedException)
        {
            // The call ended while its part was on the way (the consumer disposed it): nobody wants the part.
        }
        finally
        {
            if (!queued)
            {
                part.Return();
            }
        }
    }

    public override void GrantInput(long credit) => Input.Grant(credit);

    /// <summary>The parts; one enumeration per call.</summary>
    public IAsyncEnumerator<SockitPart> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("the parts of a call can be enumerated only once");
        }

        return new PartEnumerator(_parts.Reader, ConsumedAsync, cancellationToken);
    }

    /// <summary>Drops the parts nobody will read, returning their buffers.</summary>
    public void DiscardParts()
    {
        _parts.Writer.TryComplete();
        while (_parts.Reader.TryRead(out var part))
        {
            part.Return();
        }
    }

    protected override void OnEnded(Exception? failure)
    {
        // Parts already queued are still delivered; a failure comes after them.
        _parts.Writer.TryComplete(failure);
        Input.Close(failure ?? new InvalidOperationException($"request {Id} has ended: its final reply has come"));
    }

    /// <summary>
    /// The consumer is done with a part of <paramref name="bodyLength"/> bytes. Once half the window is consumed it
    /// goes back to the server in one grant, so a grant costs one small frame per half window, not one per part; and
    /// earlier when nothing more is queued and the server has less credit than the largest part, since it may be
    /// waiting for exactly that credit to send a part larger than what it has left (with a window of one part, it
    /// always is). A consumer that keeps up with a large window would otherwise grant after every part.
    /// </summary>
    private async ValueTask ConsumedAsync(int bodyLength)
    {
        if (bodyLength == 0 || IsAbandoned || Reply.IsCompleted)
        {
            return;
        }

        _ungranted += bodyLength;
        bool serverMayWait = _parts.Reader.Count == 0 && Volatile.Read(ref _outputCredit) < ProtocolInfo.MaxPartBodyLength;
        if (_ungranted < Math.Max(1, _window / 2) && !serverMayWait)
        {
            return;
        }

        long grant = _ungranted;
        _ungranted = 0;

        // Counted before it is sent: parts the grant allows may arrive before the write returns.
        Interlocked.Add(ref _outputCredit, grant);
        await _client.TrySendControlAsync(ControlKinds.Window, Id, grant).ConfigureAwait(false);
    }
}
