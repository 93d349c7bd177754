using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Sockit.LoadTest.Client;

/// <summary>
/// One connection of a load run: keeps <c>pipeline</c> requests in flight, and for every batch of replies
/// that comes back records their latencies and sends as many new requests in one send. Lean on purpose: the
/// client shares the machine with the server it measures.
/// </summary>
public sealed class ConnectionLoop : IDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly RequestFrames _frames;
    private readonly RunControl _control;
    private readonly int _pipeline;
    private readonly long _maxRequests;
    private readonly ReplyScanner _scanner;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;

    /// <summary>
    /// A loop of <paramref name="pipeline"/> requests in flight; it sends <paramref name="maxRequests"/> in all and
    /// ends once they are answered, unless the control stops it first.
    /// </summary>
    public ConnectionLoop(RequestFrames frames, RunControl control, int pipeline, long maxRequests = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRequests, 1);
        _frames = frames;
        _control = control;
        _pipeline = pipeline;
        _maxRequests = maxRequests;
        _scanner = frames.NewScanner();
        _buffer = new byte[Math.Max(ReceiveBufferSize, 2 * ReplyScanner.MaxHeadBytes)];
        _socket = NewSocket();
    }

    public LatencyHistogram Histogram { get; } = new();

    /// <summary>Replies completed while measuring.</summary>
    public long Completed { get; private set; }

    public static Socket NewSocket() => new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    /// <summary>Connects and, for a framed server, reads its hello.</summary>
    public async Task ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        await ReceiveRepliesAsync(_socket, _buffer, _scanner, 0, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs until the control says stop (or every request allowed has been sent) and every request in flight has
    /// been answered.
    /// </summary>
    public async Task RunAsync()
    {
        // Replies come back in request order, so send times form a ring read in the same order.
        var sentAt = new long[_pipeline];
        int first = (int)Math.Min(_pipeline, _maxRequests);
        long unsent = _maxRequests - first;
        int sendSlot = first % _pipeline;
        int replySlot = 0;
        double nanosPerTick = 1e9 / Stopwatch.Frequency;

        long now = Stopwatch.GetTimestamp();
        Array.Fill(sentAt, now);
        int inFlight = first;
        var pendingSend = SendAsync(0, first);

        while (true)
        {
            int received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None).ConfigureAwait(false);
            if (received == 0)
            {
                throw new InvalidDataException($"the server closed the connection with {inFlight} requests in flight");
            }

            _end += received;
            int done = _scanner.Consume(_buffer, ref _start, _end);
            Compact();
            if (done == 0)
            {
                continue;
            }

            now = Stopwatch.GetTimestamp();
            if (_control.IsMeasuring)
            {
                for (int i = 0; i < done; i++)
                {
                    Histogram.Record((long)((now - sentAt[replySlot]) * nanosPerTick));
                    replySlot = replySlot + 1 == _pipeline ? 0 : replySlot + 1;
                }

                Completed += done;
            }
            else
            {
                replySlot = (replySlot + done) % _pipeline;
            }

            inFlight -= done;
            if (_control.IsStopping || unsent == 0)
            {
                if (inFlight == 0)
                {
                    break;
                }

                continue;
            }

            // One send at a time per socket; the next waits for the last, which has nearly always finished.
            await pendingSend.ConfigureAwait(false);
            int more = (int)Math.Min(done, unsent);
            unsent -= more;
            int from = sendSlot;
            for (int i = 0; i < more; i++)
            {
                sentAt[sendSlot] = now;
                sendSlot = sendSlot + 1 == _pipeline ? 0 : sendSlot + 1;
            }

            inFlight += more;
            pendingSend = SendAsync(from, more);
        }

        await pendingSend.ConfigureAwait(false);
    }

    /// <summary>
    /// Receives until the hello (if expected) and <paramref name="replies"/> replies have been read; for
    /// handshakes, when nothing else can be on the way.
    /// </summary>
    public static async Task ReceiveRepliesAsync(
        Socket socket, byte[] buffer, ReplyScanner scanner, int replies, CancellationToken cancellationToken)
    {
        int start = 0;
        int end = 0;
        int done = 0;
        while (scanner.ExpectHello || done < replies)
        {
            if (end == buffer.Length)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            int received = await socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                throw new InvalidDataException("the server closed the connection during the handshake");
            }

            end += received;
            done += scanner.Consume(buffer, ref start, end);
        }
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>
    /// Not awaited at once: with many large requests in flight the server's replies must keep being read while
    /// a send waits for room, or both sides would stall with full buffers.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(int slot, int requests)
    {
        // The frames for the ring slots being refilled: replies come back in request order, so a slot's id is free
        // again when its reply has been counted (this matters only with distinct ids; otherwise all frames are alike).
        var data = _frames.Slice(slot, requests);
        while (!data.IsEmpty)
        {
            int sent = await _socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    /// <summary>Keeps room for a whole head at the end of the buffer; what is left is at most a partial head.</summary>
    private void Compact()
    {
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
        else if (_buffer.Length - _end < ReplyScanner.MaxHeadBytes)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
    }
}
