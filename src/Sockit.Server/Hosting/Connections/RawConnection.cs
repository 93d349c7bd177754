using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sockit.Protocol.Errors;

namespace Sockit.Server.Hosting.Connections;

/// <summary>
/// What every raw (unframed) stream service of the tutorials does around its own conversation: admission under the
/// connection limits, the connection's logging scope, the write deadline, and its end logged the same way. These
/// protocols have no way to say why a connection closes, so the log is the only place that does.
/// </summary>
internal static class RawConnection
{
    /// <summary>
    /// Serves <paramref name="connection"/> with <paramref name="converse"/> if the connection limits admit it, and closes
    /// it at once otherwise. A cancelled conversation is logged as the idle timeout, or shutdown when the server stops.
    /// </summary>
    public static async Task ServeAsync(
        ConnectionContext connection,
        ConnectionLimiter limiter,
        IHostApplicationLifetime lifetime,
        ILogger logger,
        Func<Task> converse)
    {
        using var scope = logger.BeginScope(new ConnectionScope(connection.ConnectionId, RemoteOf(connection)));
        var clientHost = ClientAddress.Of(connection);
        var admission = limiter.TryAcquire(clientHost);
        if (admission != ConnectionAdmission.Admitted)
        {
            // The raw protocols have no way to say why; closing at once is the clear refusal.
            ConnectionLog.Refused(logger, limiter, admission, clientHost);
            return;
        }

        try
        {
            ConnectionLog.Accepted(logger, connection.LocalEndPoint?.ToString() ?? "unix socket");
            await converse().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The raw protocols cannot say why; the idle timeout or shutdown simply closes the connection.
            ConnectionLog.TimedOut(logger, lifetime.ApplicationStopping.IsCancellationRequested ? "shutting_down" : "idle_timeout");
        }
        catch (Exception ex) when (ConnectionFailures.IsAbruptDisconnect(ex))
        {
            ConnectionLog.Dropped(logger, ex.Message);
        }
        finally
        {
            limiter.Release(clientHost);
        }
    }

    /// <summary>The client's address as logs show it.</summary>
    public static string RemoteOf(ConnectionContext connection) => connection.RemoteEndPoint?.ToString() ?? "local";

    /// <summary>
    /// Sends what was written to the connection's output, giving the client <paramref name="writeTimeout"/> to take it.
    /// Returns <see langword="false"/> when nothing more can be sent: the client took nothing in time (the connection is
    /// then reset and the write deadline logged) or the connection has gone. Shutdown cancels it (an exception).
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="deadline">The conversation's timer, linked to shutdown; set here to the write deadline.</param>
    /// <param name="writeTimeout">The write deadline.</param>
    /// <param name="logger">Where the write deadline is logged.</param>
    /// <param name="stopping">Fires when the server stops.</param>
    public static async ValueTask<bool> FlushAsync(
        ConnectionContext connection, CancellationTokenSource deadline, TimeSpan writeTimeout, ILogger logger, CancellationToken stopping)
    {
        // A client that sends and never reads stalls here; the write deadline frees its slot. Its replies are stuck
        // behind data it will not read, so only a reset closes the socket.
        deadline.CancelAfter(writeTimeout);
        try
        {
            var result = await connection.Transport.Output.FlushAsync(deadline.Token).ConfigureAwait(false);
            return !result.IsCompleted;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            ConnectionLog.TimedOut(logger, SockitErrorCode.WriteTimeout.Value);
            connection.Abort(new ConnectionAbortedException("the client read nothing within the write deadline"));
            return false;
        }
    }
}
