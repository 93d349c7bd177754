using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Server.Auth;
using Sockit.Server.Hosting.Connections;

namespace Sockit.Server.Sessions.Internal;

/// <summary>
/// The read/dispatch loop of one connection. Reads frames, runs each request (inline while it reads its own body,
/// then on its own if it has an <c>id</c>), routes control frames to running requests, and on the way out stops
/// and waits for every request before the last frame is sent.
/// </summary>
internal sealed partial class SessionLoop
{
    private readonly SessionConnectionHandler _handler;
    private readonly ConnectionContext _connection;
    private readonly SockitSession _session;
    private readonly LoginState _login;
    private readonly FrameReader _reader;
    private readonly ILogger _logger;
    private SockitRequest? _spare;

    public SessionLoop(SessionConnectionHandler handler, ConnectionContext connection, SockitSession session, LoginState login, FrameReader reader)
    {
        _handler = handler;
        _connection = connection;
        _session = session;
        _login = login;
        _reader = reader;
        _logger = handler.Logger;
    }

    private SessionOutput Output => _session.Output;

    /// <summary>
    /// The idle timeout, except while requests run on: then a quiet client is waiting for them, not gone, and the write
    /// deadline still catches one that vanished once anything is sent to it. Subscriptions alone do not count: a
    /// connection that only listens must still say something now and then, or any client could hold a slot forever.
    /// </summary>
    private TimeSpan IdleTimeout => _session.Requests.Count > 0 ? Timeout.InfiniteTimeSpan : _handler.Options.IdleTimeout;

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                FrameHead head;
                try
                {
                    if (!_reader.TryReadHead(out head))
                    {
                        // Replies to every frame that had already arrived go out together.
                        await Output.FlushPendingAsync().ConfigureAwait(false);
                        var wait = AccessPolicy.NextWait(_session, _login, IdleTimeout);
                        if (wait is null)
                        {
                            await StopAllAsync(AbortReason.Disconnected).ConfigureAwait(false);
                            await _handler.CloseForLoginDeadlineAsync(_connection).ConfigureAwait(false);
                            return;
                        }

                        _reader.IdleTimeout = wait.Value;
                        if (_reader.BodyRemaining > 0 && !await SkipBodyWithinLoginDeadlineAsync().ConfigureAwait(false))
                        {
                            await StopAllAsync(AbortReason.Disconnected).ConfigureAwait(false);
                            await _handler.CloseForLoginDeadlineAsync(_connection).ConfigureAwait(false);
                            return;
                        }

                        // No token here: a token per read would register on the shared shutdown source every
                        // time, under its lock. Shutdown reaches the reader once, through StopAtFrameBoundary.
                        var next = await _reader.ReadHeadAsync(CancellationToken.None).ConfigureAwait(false);
                        if (next is null)
                        {
                            ConnectionLog.ClosedByClient(_logger);
                            if (!await FinishAllWhileClientReadsAsync().ConfigureAwait(false))
                            {
                                ConnectionLog.GoneWithRequestsRunning(_logger, _session.Requests.Count);
                                await StopAllAsync(AbortReason.Disconnected).ConfigureAwait(false);
                                return;
                            }

                            await _session.StopEventsAsync().ConfigureAwait(false);
                            await Output.FlushPendingAsync().ConfigureAwait(false);
                            return;
                        }

                        head = next.Value;
                    }
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    ConnectionLog.ClosingForShutdown(_logger);

                    // Requests in progress get the grace period; the session directory aborts them when it ends.
                    await FinishAllAsync().ConfigureAwait(false);
                    await StopAllAsync(AbortReason.ShuttingDown).ConfigureAwait(false);
                    await SessionConnectionHandler.SendFinalErrorAsync(
                        _connection, SockitErrorCode.ShuttingDown, "the server is shutting down", null).ConfigureAwait(false);
                    return;
                }
                catch (SockitTimeoutException ex) when (ex.Code == SockitErrorCode.IdleTimeout
                    && AccessPolicy.IsPastLoginDeadline(_session, _login))
                {
                    await StopAllAsync(AbortReason.Disconnected).ConfigureAwait(false);
                    await _handler.CloseForLoginDeadlineAsync(_connection).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (ex is SockitTimeoutException or SockitProtocolException)
                {
                    await CloseAsync(RequestEnd.CloseWith(ex), null, null).ConfigureAwait(false);
                    return;
                }

                var end = head.Kind == FrameKind.None
                    ? await DispatchAsync(head).ConfigureAwait(false)
                    : await SteerAsync(head).ConfigureAwait(false);
                if (end.Close)
                {
                    return;
                }

                if (Output.IsBackedUp && !await FlushBackedUpAsync().ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch
        {
            // The connection broke under the loop: nothing more can reach the client.
            await StopAllAsync(AbortReason.Disconnected).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Skips the rest of a refused request's body, the login deadline bounding the whole of it and not each read: else a
    /// client that trickles a large body (up to 1 TiB) a byte at a time would keep its connection without logging in.
    /// Once logged in (or without a deadline) each read waits up to the idle timeout, as for any body.
    /// <see langword="false"/> when the deadline has passed.
    /// </summary>
    private async ValueTask<bool> SkipBodyWithinLoginDeadlineAsync()
    {
        while (_reader.BodyRemaining > 0)
        {
            if (AccessPolicy.NextWait(_session, _login, IdleTimeout) is not { } wait)
            {
                return false;
            }

            _reader.IdleTimeout = wait;
            await _reader.ReadBodyChunkAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Replies to pipelined requests are batched into one flush, but only up to <see cref="SessionOutput.MaxUnflushed"/>:
    /// past it the loop flushes before it reads on, so a client that never reads its replies stalls its own
    /// requests (and then meets the write deadline) instead of growing the server's memory. <see langword="false"/> when
    /// the connection must close.
    /// </summary>
    private async ValueTask<bool> FlushBackedUpAsync()
    {
        try
        {
            await Output.FlushPendingAsync().ConfigureAwait(false);
            return true;
        }
        catch (SockitTimeoutException ex)
        {
            await CloseAsync(RequestEnd.CloseWith(ex), null, null).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Ends every running request's input and waits for them all to finish: the client has said all it will.</summary>
    private async Task FinishAllAsync()
    {
        var running = _session.Requests.EndAllInput();
        await WhenAllQuietly(running).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="FinishAllAsync"/> after the client's end of stream, probing the client while requests run on: a FIN
    /// comes from a client that only finished sending (and waits for its replies) as from one that closed its socket
    /// or died, and only the second answers data with a reset. <see langword="false"/> when the client is gone; its
    /// requests are still running then.
    /// </summary>
    private async Task<bool> FinishAllWhileClientReadsAsync()
    {
        var running = _session.Requests.EndAllInput();
        if (running.Length == 0)
        {
            return true;
        }

        var finished = WhenAllQuietly(running);
        using var stopProbing = new CancellationTokenSource();
        for (int probe = 0; ; probe++)
        {
            var pause = Task.Delay(ProbeDelay(probe), stopProbing.Token);
            if (await Task.WhenAny(finished, pause).ConfigureAwait(false) == finished)
            {
                // Lets the pending delay's timer go.
                await stopProbing.CancelAsync().ConfigureAwait(false);
                return true;
            }

            if (!await Output.ProbeAsync().ConfigureAwait(false) || SocketFailed())
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Whether the connection's socket has failed or been closed under the session. Over TLS a probe's failed send does
    /// not reach <see cref="SessionOutput"/>: the TLS layer writes into the socket's pipe and ignores that it was
    /// completed. The socket itself (the same underneath) still tells: its pending error (the client's reset), or it
    /// was closed by the failed send.
    /// </summary>
    private bool SocketFailed()
    {
        if (_connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
        {
            return false;
        }

        try
        {
            return socket.SafeHandle.IsClosed || (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)! != 0;
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            return true;
        }
    }

    /// <summary>
    /// The wait before probe <paramref name="probe"/>: the reset a closed client answers the first probe with fails the
    /// send of the second, and the third finds the output gone, so a client that died is found in about 1.5 s; a
    /// half-closed client waiting for a long command then gets a probe every 10 s at most.
    /// </summary>
    private static TimeSpan ProbeDelay(int probe) =>
        TimeSpan.FromMilliseconds(probe < 4 ? 500 : Math.Min(500 << (probe - 3), 10_000));

    /// <summary>
    /// Aborts every running request and the event pump, takes the output away from them, and waits until none is left,
    /// so whatever the loop sends last is the last thing on the wire.
    /// </summary>
    private async Task StopAllAsync(AbortReason reason)
    {
        // A writer stuck in a flush to a client that does not read is not cut short here: cancelling a flush would
        // also cancel the next one, the last error frame's. The write deadline bounds that wait.
        // Queued events still go out (a shutdown notice among them), before the gate closes.
        var running = _session.Requests.AbortAll(reason);
        await _session.StopEventsAsync().ConfigureAwait(false);
        Output.Close();
        await WhenAllQuietly(running).ConfigureAwait(false);
    }

    private static async Task WhenAllQuietly(Task[] running)
    {
        if (running.Length == 0)
        {
            return;
        }

        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Each request's failure was handled (and logged) where it ran.
        }
    }

    /// <summary>Closes the connection as <paramref name="end"/> says, once every request has stopped.</summary>
    private async Task CloseAsync(RequestEnd end, long? id, string? op)
    {
        await StopAllAsync(AbortReason.Disconnected).ConfigureAwait(false);
        switch (end.Error)
        {
            case null:
                break;
            case SockitTimeoutException timeout:
                ConnectionLog.TimedOut(_logger, timeout.Code.Value);
                await SessionConnectionHandler.CloseForTimeoutAsync(_connection, timeout, id, op).ConfigureAwait(false);
                break;
            case SockitProtocolException protocol:
                await _handler.CloseForProtocolErrorAsync(_connection, protocol, op).ConfigureAwait(false);
                break;
            case SockitException failure:
                await SessionConnectionHandler.SendFinalErrorAsync(_connection, failure.Code, failure.Message, id, op)
                    .ConfigureAwait(false);
                break;
            default:
                await SessionConnectionHandler.SendFinalErrorAsync(
                    _connection, SockitErrorCode.InternalError, "the server failed; see its log", id, op).ConfigureAwait(false);
                break;
        }
    }
}
