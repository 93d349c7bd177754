using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Sockit.Client.Connection;
using Sockit.Protocol.Errors;

namespace Sockit.Client;

// How things end badly: deadlines, giving up on a request, and closing a connection that may be out of step.
public sealed partial class SockitClient
{
    // Cancelled when the connection fails or is disposed: wakes the read loop wherever it waits.
    private readonly CancellationTokenSource _closing = new();
    private SockitException? _fault;

    private async ValueTask<T> WithTimeoutAsync<T>(
        Func<CancellationToken, ValueTask<T>> io, string timeoutMessage, CancellationToken cancellationToken)
    {
        var timeout = Options.ReplyTimeout;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return await io(cancellationToken).ConfigureAwait(false);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await io(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(timeoutMessage, ex);
        }
    }

    private SockitTimeoutException TimedOut(string what, Exception? inner) =>
        new($"{what} for {AddressText.Seconds(Options.ReplyTimeout)} s", SockitErrorCode.Timeout, inner);

    private void ThrowIfBroken()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Volatile.Read(ref _fault) is { } fault)
        {
            throw Closed(fault);
        }
    }

    private SockitConnectionException Closed(SockitException fault) =>
        new(SockitErrorCode.ConnectionClosed, $"the connection to {Peer} is closed: {fault.Message}", fault);

    /// <summary>
    /// The caller gave up on <paramref name="request"/> (already marked abandoned): the server is told to stop it when
    /// it can be; otherwise the connection goes, since the request would hold its slot for as long as the server likes.
    /// </summary>
    internal void GiveUp(PendingRequest request, Exception reason)
    {
        if (HasFeature(ProtocolFeatures.Cancel))
        {
            _ = TrySendControlAsync(ControlKinds.Cancel, request.Id, null);
            return;
        }

        Fault(reason as SockitException ?? new SockitConnectionException(
            SockitErrorCode.ConnectionClosed,
            $"the connection to {Peer} was closed because request {request.Id} was cancelled (the server cannot cancel a request)"));
    }

    /// <summary>
    /// Closes the connection after a failure that may have left it out of step, and throws what says why: the
    /// failure itself, or the Sockit exception it translates to.
    /// </summary>
    [DoesNotReturn]
    private void FaultAndThrow(Exception exception)
    {
        var translated = Translate(exception);
        Fault(translated ?? new SockitConnectionException(SockitErrorCode.ConnectionClosed, exception.Message, exception));
        ExceptionDispatchInfo.Throw(translated ?? exception);
    }

    /// <summary>
    /// Closes the connection, once: every request in flight and every subscription fails with <paramref name="reason"/>
    /// (the request <paramref name="answered"/> names, with its own error instead).
    /// </summary>
    private void Fault(SockitException reason, (long Id, SockitException Error)? answered = null)
    {
        if (Interlocked.CompareExchange(ref _fault, reason, null) is not null)
        {
            return;
        }

        _closing.Cancel();
        _stream.Dispose();
        foreach (var request in DrainPending())
        {
            request.Fail(answered is { } special && special.Id == request.Id ? special.Error : reason);
        }

        foreach (var subscription in DrainSubscriptions())
        {
            subscription.Fail(reason);
        }

        // A writer in progress completes the output itself when it lets go of the lock.
        if (_writeLock.Wait(0))
        {
            CompleteOutput();
            _writeLock.Release();
        }
    }

    /// <summary>Turns the socket layer's exceptions into Sockit's; <see langword="null"/> for anything else.</summary>
    private SockitException? Translate(Exception exception) => exception switch
    {
        SockitException sockit => sockit,
        _ when Volatile.Read(ref _disposed) != 0 => new SockitConnectionException(
            SockitErrorCode.ConnectionClosed, $"the connection to {Peer} was closed by disposing the client", exception),
        _ when Volatile.Read(ref _fault) is { } fault && exception is IOException or ObjectDisposedException or OperationCanceledException =>
            Closed(fault),
        _ => TranslateIo(exception, Peer),
    };

    private static SockitException? TranslateIo(Exception exception, string peer) => exception switch
    {
        SockitException sockit => sockit,
        IOException { InnerException: SocketException socket } => SocketErrorMapper.Map(socket, peer),
        SocketException socket => SocketErrorMapper.Map(socket, peer),
        IOException io => new SockitConnectionException(
            SockitErrorCode.NetworkError, $"network error talking to {peer}: {io.Message}", io),
        _ => null,
    };
}
