using System.Net.Sockets;
using Sockit.Protocol.Errors;

namespace Sockit.Client;

// How an exchange ends badly: deadlines, and closing a connection that may be out of step with the server.
public sealed partial class SockitClient
{
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
            throw new SockitTimeoutException($"{timeoutMessage} for {AddressText.Seconds(timeout)} s", SockitErrorCode.Timeout, ex);
        }
    }

    private void ThrowIfBroken()
    {
        if (_fault is { } fault)
        {
            throw new SockitConnectionException(
                SockitErrorCode.ConnectionClosed, $"the connection to {_peer} is closed: {fault.Message}", fault);
        }
    }

    /// <summary>Closes the connection after a failure that may have left it out of step, and says why.</summary>
    private Exception FaultAndTranslate(Exception exception)
    {
        var translated = Translate(exception);
        Fault(translated ?? new SockitConnectionException(
            SockitErrorCode.ConnectionClosed, exception.Message, exception));
        return translated ?? exception;
    }

    private void Fault(SockitException reason)
    {
        if (_fault is null)
        {
            Volatile.Write(ref _fault, reason);
            _stream.Dispose();
        }
    }

    /// <summary>Turns the socket layer's exceptions into Sockit's; <see langword="null"/> for anything else.</summary>
    private SockitException? Translate(Exception exception) => exception switch
    {
        SockitException sockit => sockit,
        _ when Volatile.Read(ref _disposed) != 0 => new SockitConnectionException(
            SockitErrorCode.ConnectionClosed, $"the connection to {_peer} was closed by disposing the client", exception),
        IOException { InnerException: SocketException socket } => SocketErrorMapper.Map(socket, _peer),
        SocketException socket => SocketErrorMapper.Map(socket, _peer),
        IOException io => new SockitConnectionException(
            SockitErrorCode.NetworkError, $"network error talking to {_peer}: {io.Message}", io),
        _ => null,
    };

    private void ReleaseExchange()
    {
        if (Volatile.Read(ref _disposed) != 0 || _fault is not null)
        {
            CompletePipes();
        }

        _lock.Release();
    }
}
