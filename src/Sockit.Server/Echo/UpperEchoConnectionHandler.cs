using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sockit.Protocol.Errors;
using Sockit.Server.Hosting.Connections;
using Sockit.Server.Hosting;

namespace Sockit.Server.Echo;

/// <summary>
/// The tutorials' raw TCP upper-echo: whatever bytes arrive go straight back upper-cased, in a conversation
/// loop until the client closes. No framing, so the tutorials' own clients work unchanged.
/// </summary>
internal sealed class UpperEchoConnectionHandler : ConnectionHandler
{
    private readonly ConnectionLimiter _limiter;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _writeTimeout;
    private readonly ILogger<UpperEchoConnectionHandler> _logger;

    public UpperEchoConnectionHandler(
        SockitServerOptions options,
        ConnectionLimiter limiter,
        IHostApplicationLifetime lifetime,
        ILogger<UpperEchoConnectionHandler> logger)
    {
        _limiter = limiter;
        _lifetime = lifetime;
        _idleTimeout = options.IdleTimeout;
        _writeTimeout = options.WriteTimeout;
        _logger = logger;
    }

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        using var scope = _logger.BeginScope(
            new ConnectionScope(connection.ConnectionId, connection.RemoteEndPoint?.ToString() ?? "local"));
        var clientHost = ClientAddress.Of(connection);
        var admission = _limiter.TryAcquire(clientHost);
        if (admission != ConnectionAdmission.Admitted)
        {
            // The raw protocol has no way to say why; closing at once is the clear refusal.
            ConnectionLog.Refused(_logger, _limiter, admission, clientHost);
            return;
        }

        try
        {
            ConnectionLog.Accepted(_logger, connection.LocalEndPoint?.ToString() ?? "unix socket");
            await EchoAsync(connection).ConfigureAwait(false);
            ConnectionLog.ClosedByClient(_logger);
        }
        catch (OperationCanceledException)
        {
            // The raw protocol cannot say why; the idle timeout or shutdown simply closes the connection.
            ConnectionLog.TimedOut(_logger, _lifetime.ApplicationStopping.IsCancellationRequested ? "shutting_down" : "idle_timeout");
        }
        catch (Exception ex) when (ConnectionFailures.IsAbruptDisconnect(ex))
        {
            ConnectionLog.Dropped(_logger, ex.Message);
        }
        finally
        {
            _limiter.Release(clientHost);
        }
    }

    private async Task EchoAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        // Not linked to ConnectionClosed: that fires on the client's FIN, when its last replies are still owed.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.ApplicationStopping);
        while (true)
        {
            idle.CancelAfter(_idleTimeout);
            var result = await input.ReadAsync(idle.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                foreach (var segment in buffer)
                {
                    var destination = output.GetSpan(segment.Length)[..segment.Length];
                    segment.Span.CopyTo(destination);
                    AsciiUpper.Apply(destination);
                    output.Advance(segment.Length);
                }

                if (!buffer.IsEmpty)
                {
                    // A client that sends and never reads stalls here; the write deadline frees its slot. Its
                    // replies are stuck behind data it will not read, so only a reset closes the socket.
                    idle.CancelAfter(_writeTimeout);
                    try
                    {
                        await output.FlushAsync(idle.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!_lifetime.ApplicationStopping.IsCancellationRequested)
                    {
                        ConnectionLog.TimedOut(_logger, SockitErrorCode.WriteTimeout.Value);
                        connection.Abort(new ConnectionAbortedException("the client read nothing within the write deadline"));
                        return;
                    }
                }

                if (result.IsCompleted)
                {
                    return;
                }
            }
            finally
            {
                input.AdvanceTo(buffer.End);
            }
        }
    }
}
