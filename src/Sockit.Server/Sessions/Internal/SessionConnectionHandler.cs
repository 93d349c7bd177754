using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Server.Auth;
using Sockit.Server.Hosting.Connections;
using Sockit.Server.Hosting;

namespace Sockit.Server.Sessions.Internal;

/// <summary>
/// Serves the framed protocol on one connection: the hello, then a loop that reads frames and dispatches them
/// (requests to their operations, control frames to the requests they steer) until the client leaves, an error or
/// timeout closes the connection, or the server shuts down. Everything goes out through one <see cref="SessionOutput"/>.
/// </summary>
internal sealed partial class SessionConnectionHandler : ConnectionHandler
{
    private readonly SockitServerOptions _options;
    private readonly FrameReaderOptions _readerOptions;
    private readonly ConnectionLimiter _limiter;
    private readonly OperationRegistry _operations;
    private readonly AccessPolicy _access;
    private readonly SessionDirectory _directory;
    private readonly ILogger<SessionConnectionHandler> _logger;
    private readonly string _version;

    private static readonly TimeSpan FinalErrorTimeout = TimeSpan.FromSeconds(5);

    public SessionConnectionHandler(
        SockitServerOptions options,
        ConnectionLimiter limiter,
        FrameDeadlines deadlines,
        OperationRegistry operations,
        AccessPolicy access,
        SessionDirectory directory,
        ILogger<SessionConnectionHandler> logger)
    {
        _options = options;
        _limiter = limiter;
        _operations = operations;
        _access = access;
        _directory = directory;
        _logger = logger;
        _readerOptions = new FrameReaderOptions
        {
            Limits = options.ToFrameLimits(),
            IdleTimeout = options.IdleTimeout,
            HeaderTimeout = options.HeaderTimeout,
            Names = operations.FrameNames,

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
        // shutdown cancels reads, and a vanished client shows up as a completed or faulted pipe instead. The
        // directory's token fires after the shutting_down event is queued, so a subscriber gets it before the close.
        var stopping = _directory.Stopping;
        using var reader = new FrameReader(connection.Transport.Input, _readerOptions);
        using var stopReading = stopping.UnsafeRegister(static state => ((FrameReader)state!).StopAtFrameBoundary(), reader);
        using var output = new SessionOutput(connection.Transport.Output, _options.WriteTimeout);
        var session = new SockitSession(
            connection.ConnectionId, remote, clientHost, output, new InFlightRequests(_options.MaxRequestsInFlight));
        session.AbortConnection = reason => connection.Abort(new ConnectionAbortedException(reason));
        var login = _access.OnConnected(session);
        var loop = new SessionLoop(this, connection, session, login, reader);

        FrameWriter.WriteHeader(
            output.Writer,
            new HelloMessage
            {
                Server = _options.ServerName,
                Version = _version,
                Ops = _operations.Names,
                Auth = AuthOperation.Mechanisms,
                AnonymousOps = _access.AnonymousOps,
                Nonce = login.Nonce,
                MaxHeaderLength = _options.MaxHeaderLength,
                Features = ProtocolInfo.Features,
                MaxInFlight = _options.MaxRequestsInFlight,
                InputWindow = _options.InputWindow,
            },
            SockitJsonContext.Default.HelloMessage);

        _directory.Add(session);
        try
        {
            await loop.RunAsync(stopping).ConfigureAwait(false);
        }
        finally
        {
            // Every way out of the loop has stopped the session's event queue already.
            _directory.Remove(session);
        }
    }
}
