using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Sockit.Server.Hosting.Transport;

/// <summary>
/// An accepted socket as a Kestrel connection: a receive loop filling the input pipe and a send loop draining the
/// output pipe. It differs from Kestrel's own in how it receives: an idle connection waits for data with a zero-byte
/// receive and holds no buffer; a receive then gets a buffer sized by <see cref="ReceiveSizer"/>, so a stream is read
/// in blocks of up to 128 KiB while a quiet connection never holds more than 4 KiB.
/// </summary>
internal sealed class SocketConnection : ConnectionContext,
    IConnectionIdFeature,
    IConnectionTransportFeature,
    IConnectionItemsFeature,
    IConnectionLifetimeFeature,
    IConnectionEndPointFeature,
    IMemoryPoolFeature,
    IConnectionSocketFeature
{
    private static long s_lastId;

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly Action? _ended;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _closedFired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _shutdownLock = new();
    private readonly long _id;
    private string? _connectionId;
    private IDictionary<object, object?>? _items;
    private IFeatureCollection? _features;
    private volatile Exception? _shutdownReason;
    private bool _socketDisposed;
    private int _closedScheduled;
    private SocketSender? _sender;
    private Task _running = Task.CompletedTask;
    private int _sending;
    private TaskCompletionSource? _sendSettled;
    private volatile Exception? _sendFailure;
    private long _receives;
    private long _waits;
    private int _largestReceive;
    private int _largestBuffer;

    /// <summary>Wraps <paramref name="socket"/>; <see cref="Start"/> starts its loops.</summary>
    /// <param name="socket">An accepted, connected stream socket, owned by the connection from now on.</param>
    /// <param name="pool">Where both pipes' blocks come from.</param>
    /// <param name="inputOptions">The input pipe's options: the pool, and the 1 MiB at which receiving pauses.</param>
    /// <param name="outputOptions">The output pipe's options: the pool, and the 64 KiB at which the writer waits.</param>
    /// <param name="logger">Where unexpected socket errors go.</param>
    /// <param name="ended">Called once both loops have ended and the connection uses its pool no more.</param>
    public SocketConnection(Socket socket, MemoryPool<byte> pool, PipeOptions inputOptions, PipeOptions outputOptions, ILogger logger, Action? ended)
    {
        _socket = socket;
        _logger = logger;
        _ended = ended;
        MemoryPool = pool;
        _id = Interlocked.Increment(ref s_lastId);
        _input = new Pipe(inputOptions);
        _output = new Pipe(outputOptions);
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
        ConnectionClosed = _closed.Token;
    }

    public override string ConnectionId
    {
        // Made on first use: most connections are never named, and an idle one should cost as little as it can.
        get => _connectionId ??= "S" + _id.ToString("X8", System.Globalization.CultureInfo.InvariantCulture);
        set => _connectionId = value;
    }

    public override IFeatureCollection Features => _features ??= NewFeatures();

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new ConnectionItems();
        set => _items = value;
    }

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed { get; set; }

    public MemoryPool<byte> MemoryPool { get; }

    public Socket Socket => _socket;

    /// <summary>Receive calls that read data (for tests and diagnostics).</summary>
    public long Receives => Interlocked.Read(ref _receives);

    /// <summary>Zero-byte receives that waited for data without a buffer.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>The most bytes one receive returned.</summary>
    public int LargestReceive => Volatile.Read(ref _largestReceive);

    /// <summary>The largest buffer a receive was given.</summary>
    public int LargestBuffer => Volatile.Read(ref _largestBuffer);

    /// <summary>Send calls made so far.</summary>
    public long Sends => _sender?.Sends ?? 0;

    /// <summary>Starts receiving and sending.</summary>
    public void Start() => _running = RunAsync();

    public override void Abort(ConnectionAbortedException abortReason)
    {
        Shutdown(abortReason);

        // The send loop may be waiting for output that will never come; it ends on seeing the cancellation.
        _output.Reader.CancelPendingRead();
    }

    public override async ValueTask DisposeAsync()
    {
        Transport.Input.Complete();
        Transport.Output.Complete();
        await _running.ConfigureAwait(false);
        _closed.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        try
        {
            var receiving = ReceiveLoopAsync();
            var sending = SendLoopAsync();
            await receiving.ConfigureAwait(false);
            await sending.ConfigureAwait(false);
            _sender?.Dispose();
        }
        catch (Exception ex)
        {
            TransportLog.ConnectionLoopFailed(_logger, ConnectionId, ex);
        }
        finally
        {
            _ended?.Invoke();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        Exception? error = null;
        try
        {
            await ReceiveAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = AsEnd(ex, out bool unexpected);
            if (unexpected)
            {
                TransportLog.ConnectionReceiveFailed(_logger, ConnectionId, ex);
            }
        }
        finally
        {
            _input.Writer.Complete(_shutdownReason ?? error);
            FireConnectionClosed();
            await _closedFired.Task.ConfigureAwait(false);
        }
    }

    private async Task ReceiveAsync()
    {
        var input = _input.Writer;
        var sizer = default(ReceiveSizer);
        bool dataWaiting = false;
        while (true)
        {
            if (!dataWaiting)
            {
                // Waiting without a buffer is what keeps an idle connection from pinning a block.
                Interlocked.Increment(ref _waits);
                await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
            }

            var buffer = input.GetMemory(sizer.Next);
            if (buffer.Length > _largestBuffer)
            {
                Volatile.Write(ref _largestBuffer, buffer.Length);
            }

            int received = await _socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
            if (received == 0)
            {
                await ThrowIfSendFailedAsync().ConfigureAwait(false);
                return;
            }

            Interlocked.Increment(ref _receives);
            if (received > _largestReceive)
            {
                Volatile.Write(ref _largestReceive, received);
            }

            input.Advance(received);
            bool filled = sizer.Record(received, buffer.Length);
            var flushed = await input.FlushAsync().ConfigureAwait(false);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                return;
            }

            // A full buffer says more is probably there; asking costs one ioctl, far less than a wait and a wakeup,
            // and a receive is only ever posted with a buffer when it will complete at once.
            dataWaiting = filled && _socket.Available > 0;
        }
    }

    private async Task SendLoopAsync()
    {
        Exception? reason = null;
        Exception? unexpected = null;
        try
        {
            await SendAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            reason = AsEnd(ex, out bool failed);
            if (failed)
            {
                unexpected = ex;
                TransportLog.ConnectionSendFailed(_logger, ConnectionId, ex);
            }
        }
        finally
        {
            Shutdown(reason);
            _output.Reader.Complete(unexpected);

            // A receive loop paused on a full input pipe would otherwise wait for a reader that may never come.
            _input.Writer.CancelPendingFlush();
        }
    }

    private async Task SendAsync()
    {
        var output = _output.Reader;
        while (true)
        {
            var result = await output.ReadAsync().ConfigureAwait(false);
            if (result.IsCanceled)
            {
                return;
            }

            var buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                _sender ??= new SocketSender();
                Volatile.Write(ref _sending, 1);
                try
                {
                    await _sender.SendAsync(_socket, buffer).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    _sendFailure = ex;
                    throw;
                }
                finally
                {
                    Volatile.Write(ref _sending, 0);
                    Interlocked.Exchange(ref _sendSettled, null)?.TrySetResult();
                }
            }

            output.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>
    /// At the end of the stream, waits for a send in flight to settle and throws what it failed with. A client that
    /// closes with output unread sends a FIN and then a reset, or the reset alone, whose error a blocked send may take
    /// before the receive sees it: the receive then reads an ordinary end of stream. Taken as a FIN, the connection
    /// would look half-closed with replies still owed, and the server would wait for good on a client that is gone.
    /// A send blocked on a client that half-closed and reads no more still ends, by the write deadline's abort.
    /// </summary>
    private async ValueTask ThrowIfSendFailedAsync()
    {
        var settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _sendSettled, settled);
        if (Volatile.Read(ref _sending) == 1)
        {
            await settled.Task.ConfigureAwait(false);
        }

        if (_sendFailure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private void Shutdown(Exception? reason)
    {
        lock (_shutdownLock)
        {
            if (_socketDisposed)
            {
                return;
            }

            // Set before the socket closes, so the receive loop, woken by the close, completes the input with it.
            _socketDisposed = true;
            _shutdownReason = reason ?? new ConnectionAbortedException("The connection's output was completed.");
            try
            {
                // A FIN even on abort: the client reads the end of the stream, not a reset.
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already gone: closing is all that is left.
            }

            _socket.Dispose();
        }
    }

    private void FireConnectionClosed()
    {
        if (Interlocked.Exchange(ref _closedScheduled, 1) == 1)
        {
            return;
        }

        // Not inline: handlers registered on ConnectionClosed must not run on, or block, the receive loop.
        ThreadPool.UnsafeQueueUserWorkItem(
            static connection =>
            {
                try
                {
                    connection._closed.Cancel();
                }
                catch (Exception ex)
                {
                    TransportLog.ConnectionClosedCallbackFailed(connection._logger, connection.ConnectionId, ex);
                }

                connection._closedFired.TrySetResult();
            },
            this,
            preferLocal: false);
    }

    private FeatureCollection NewFeatures()
    {
        var features = new FeatureCollection(12);
        features.Set<IConnectionIdFeature>(this);
        features.Set<IConnectionTransportFeature>(this);
        features.Set<IConnectionItemsFeature>(this);
        features.Set<IConnectionLifetimeFeature>(this);
        features.Set<IConnectionEndPointFeature>(this);
        features.Set<IMemoryPoolFeature>(this);
        features.Set<IConnectionSocketFeature>(this);
        return features;
    }

    /// <summary>
    /// What a loop's exception means for the connection: a reset becomes <see cref="ConnectionResetException"/>; a socket
    /// closed under the loop stays as it is (the shutdown's reason is what readers see); anything else is unexpected.
    /// </summary>
    private static Exception AsEnd(Exception exception, out bool unexpected)
    {
        unexpected = false;
        switch (exception)
        {
            case SocketException socket when IsReset(socket.SocketErrorCode):
                return new ConnectionResetException(socket.Message, socket);
            case ObjectDisposedException:
            case SocketException aborted when IsAborted(aborted.SocketErrorCode):
                return exception;
            default:
                unexpected = true;
                return exception;
        }
    }

    private static bool IsReset(SocketError error) => error is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted;

    // Closing a socket under a pending receive reports OperationAborted, Interrupted or, on Unix, InvalidArgument.
    private static bool IsAborted(SocketError error) => error is SocketError.OperationAborted or SocketError.Interrupted or SocketError.InvalidArgument;
}
