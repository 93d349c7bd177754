using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Server.Auth;
using Sockit.Server.Connections;
using Sockit.Server.Hosting;

namespace Sockit.Server.Framed;

/// <summary>
/// Serves the framed protocol on one connection: hello, then requests answered in order until the client
/// leaves, a protocol error or timeout closes the connection, or the server shuts down.
/// </summary>
internal sealed partial class FramedConnectionHandler : ConnectionHandler
{
    private readonly SockitServerOptions _options;
    private readonly FrameReaderOptions _readerOptions;
    private readonly ConnectionLimiter _limiter;
    private readonly FramedOperationRegistry _operations;
    private readonly AccessPolicy _access;
    private readonly TimeSpan _loginTimeout;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<FramedConnectionHandler> _logger;
    private readonly string _version;

    private static readonly TimeSpan FinalErrorTimeout = TimeSpan.FromSeconds(5);

    public FramedConnectionHandler(
        SockitServerOptions options,
        ConnectionLimiter limiter,
        FrameDeadlines deadlines,
        FramedOperationRegistry operations,
        AccessPolicy access,
        IHostApplicationLifetime lifetime,
        ILogger<FramedConnectionHandler> logger)
    {
        _options = options;
        _limiter = limiter;
        _operations = operations;
        _access = access;
        _loginTimeout = options.Auth.LoginTimeout;
        _lifetime = lifetime;
        _logger = logger;
        _readerOptions = new FrameReaderOptions
        {
            Limits = options.ToFrameLimits(),
            IdleTimeout = options.IdleTimeout,
            HeaderTimeout = options.HeaderTimeout,

            // One shared tick instead of a timer per read: reads are the hot path of every connection.
            Deadlines = deadlines,
        };
        _version = ServerVersion.Current;
    }

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = connection.RemoteEndPoint?.ToString() ?? "local";
        using var scope = _logger.BeginScope(new ConnectionScope(connection.ConnectionId, remote));
        var clientHost = ClientAddress.Of(connection);
        var admission = _limiter.TryAcquire(clientHost);
        if (admission != ConnectionAdmission.Admitted)
        {
            await RefuseAsync(connection, admission, clientHost).ConfigureAwait(false);
            return;
        }

        try
        {
            ConnectionLog.Accepted(_logger, connection.LocalEndPoint?.ToString() ?? "unix socket");
            await ServeAsync(connection, remote, clientHost).ConfigureAwait(false);

            // The reader is done with the input by now, so it can be drained before the socket closes.
            await LingeringClose.DrainAsync(connection.Transport.Input).ConfigureAwait(false);
        }
        catch (Exception ex) when (ConnectionFailures.IsAbruptDisconnect(ex))
        {
            ConnectionLog.Dropped(_logger, ex.Message);
        }
        catch (Exception ex)
        {
            ConnectionLog.Failed(_logger, ex);
            await SendFinalErrorAsync(connection, SockitErrorCode.InternalError, "the server failed; see its log", null)
                .ConfigureAwait(false);
        }
        finally
        {
            _limiter.Release(clientHost);
        }
    }

    private async Task ServeAsync(ConnectionContext connection, string remote, string clientHost)
    {
        // ConnectionClosed fires when the client half-closes (FIN), while replies may still be owed; so only
        // shutdown cancels reads, and a vanished client shows up as a completed or faulted pipe instead.
        var stopping = _lifetime.ApplicationStopping;
        using var reader = new FrameReader(connection.Transport.Input, _readerOptions);
        using var stopReading = stopping.UnsafeRegister(static state => ((FrameReader)state!).StopAtFrameBoundary(), reader);
        using var session = new FramedSession(
            connection.ConnectionId, remote, clientHost, reader, connection.Transport.Output, _options.WriteTimeout);
        session.LoginDeadline = LoginDeadlineFromNow();

        session.WriteReply(
            new HelloMessage
            {
                Server = _options.ServerName,
                Version = _version,
                Ops = _operations.Names,
                Auth = AuthOperation.Mechanisms,
                AnonymousOps = _access.AnonymousOps,
                Nonce = session.Nonce,
                MaxHeaderLength = _options.MaxHeaderLength,
            },
            SockitJsonContext.Default.HelloMessage);

        while (true)
        {
            FrameHead head;
            try
            {
                if (!reader.TryReadHead(out head))
                {
                    // Replies to every frame that had already arrived go out together.
                    await session.FlushAsync().ConfigureAwait(false);
                    if (!ApplyLoginDeadline(session))
                    {
                        await CloseForLoginDeadlineAsync(connection).ConfigureAwait(false);
                        return;
                    }

                    // No token here: a token per read would register on the shared shutdown source every
                    // time, under its lock. Shutdown reaches the reader once, through stopReading.
                    var next = await reader.ReadHeadAsync().ConfigureAwait(false);
                    if (next is null)
                    {
                        ConnectionLog.ClosedByClient(_logger);
                        return;
                    }

                    head = next.Value;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                ConnectionLog.ClosingForShutdown(_logger);
                await SendFinalErrorAsync(connection, SockitErrorCode.ShuttingDown, "the server is shutting down", null)
                    .ConfigureAwait(false);
                return;
            }
            catch (SockitTimeoutException ex) when (ex.Code == SockitErrorCode.IdleTimeout && session.User is null
                && Stopwatch.GetTimestamp() >= session.LoginDeadline)
            {
                await CloseForLoginDeadlineAsync(connection).ConfigureAwait(false);
                return;
            }
            catch (SockitTimeoutException ex)
            {
                ConnectionLog.TimedOut(_logger, ex.Code.Value);
                await CloseForTimeoutAsync(connection, ex, null, null).ConfigureAwait(false);
                return;
            }
            catch (SockitProtocolException ex)
            {
                await CloseForProtocolErrorAsync(connection, ex, null).ConfigureAwait(false);
                return;
            }

            if (!await HandleAsync(connection, session, head).ConfigureAwait(false)
                || !await FlushIfBackedUpAsync(connection, session).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Replies to pipelined requests are batched into one flush, but only up to <see cref="FramedSession.MaxUnflushedOutput"/>:
    /// past it the loop flushes before it reads on, so a client that never reads its replies stalls its own
    /// requests (and then meets the write deadline) instead of growing the server's memory. <see langword="false"/> when
    /// the connection must close.
    /// </summary>
    private async ValueTask<bool> FlushIfBackedUpAsync(ConnectionContext connection, FramedSession session)
    {
        if (!session.IsOutputBackedUp)
        {
            return true;
        }

        try
        {
            await session.FlushAsync().ConfigureAwait(false);
            return true;
        }
        catch (SockitTimeoutException ex)
        {
            ConnectionLog.TimedOut(_logger, ex.Code.Value);
            await CloseForTimeoutAsync(connection, ex, null, null).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Runs one request; returns <see langword="false"/> when the connection must close.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> HandleAsync(ConnectionContext connection, FramedSession session, FrameHead head)
    {
        var op = head.Op;
        long? id = head.Id;
        try
        {
            if (op is null)
            {
                throw new SockitException(SockitErrorCode.MissingOp, "the request has no op field");
            }

            if (!_operations.TryGet(op, out var operation))
            {
                throw new SockitException(
                    SockitErrorCode.UnknownOp,
                    $"unknown op '{op}'; this server offers: {string.Join(", ", _operations.Names)}");
            }

            if (head.DataSize > operation.MaxBodyLength)
            {
                throw new SockitProtocolException(
                    SockitErrorCode.BodyTooLarge,
                    $"data_size {head.DataSize} exceeds the limit of {operation.MaxBodyLength} bytes for '{op}'",
                    null,
                    id);
            }

            _access.Check(session, operation);

            // Replies are not cancelled by shutdown: an in-flight request finishes within the grace period,
            // after which Kestrel aborts the connection and the pipes fail.
            await operation.ExecuteAsync(session, head, CancellationToken.None).ConfigureAwait(false);
            if (session.User is null && op is not (Ops.Auth or Ops.WhoAmI))
            {
                // Served anonymously: the client came for an anonymous operation, not to log in, so it need not log
                // in at all; from now on the idle timeout guards the slot, as for any connection in use.
                session.LoginDeadline = long.MaxValue;
            }

            return true;
        }
        catch (SockitException ex) when (session.IsStreamingReply)
        {
            ConnectionLog.AbortedMidReply(_logger, ex.Code.Value, ex.Message);
            if (ex.Code == SockitErrorCode.WriteTimeout)
            {
                connection.Abort(new ConnectionAbortedException(ex.Message));
            }

            return false;
        }
        catch (SockitProtocolException ex)
        {
            await CloseForProtocolErrorAsync(connection, ex, op).ConfigureAwait(false);
            return false;
        }
        catch (SockitTimeoutException ex)
        {
            ConnectionLog.TimedOut(_logger, ex.Code.Value);
            await CloseForTimeoutAsync(connection, ex, id, op).ConfigureAwait(false);
            return false;
        }
        catch (SockitException ex)
        {
            ConnectionLog.RequestFailed(_logger, op ?? "(none)", ex.Code.Value, ex.Message);
            session.WriteError(ex.Code, ex.Message, op, id);
            return true;
        }
        catch (Exception ex) when (!ConnectionFailures.IsAbruptDisconnect(ex))
        {
            // An operation's bug: where the request's body stands is unknown, so the connection cannot go on.
            ConnectionLog.Failed(_logger, ex);
            if (!session.IsStreamingReply)
            {
                await SendFinalErrorAsync(connection, SockitErrorCode.InternalError, "the server failed; see its log", id, op)
                    .ConfigureAwait(false);
            }

            return false;
        }
    }

    /// <summary>
    /// Bounds the next wait by the login deadline while the connection is anonymous; <see langword="false"/> when the
    /// deadline has already passed.
    /// </summary>
    private bool ApplyLoginDeadline(FramedSession session)
    {
        if (session.User is not null || session.LoginDeadline == long.MaxValue)
        {
            session.Reader.IdleTimeout = _options.IdleTimeout;
            return true;
        }

        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), session.LoginDeadline);
        if (remaining <= TimeSpan.Zero)
        {
            return false;
        }

        session.Reader.IdleTimeout = _options.IdleTimeout == Timeout.InfiniteTimeSpan || remaining < _options.IdleTimeout
            ? remaining
            : _options.IdleTimeout;
        return true;
    }

    private long LoginDeadlineFromNow() => _loginTimeout == Timeout.InfiniteTimeSpan
        ? long.MaxValue
        : Stopwatch.GetTimestamp() + (long)(_loginTimeout.TotalSeconds * Stopwatch.Frequency);
}
