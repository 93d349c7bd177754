using Microsoft.AspNetCore.Connections;
using Sockit.Protocol.Errors;
using Sockit.Server.Auth;
using Microsoft.Extensions.Logging;
using Sockit.Server.Hosting.Connections;
using Sockit.Server.Hosting;

namespace Sockit.Server.Sessions.Internal;

/// <summary>How a framed connection ends: refusals, and the last error frame before a close.</summary>
internal sealed partial class SessionConnectionHandler
{
    /// <summary>Tells a client over a connection limit why it is refused, unless too many refusals are under way already.</summary>
    internal SockitServerOptions Options => _options;

    internal OperationRegistry Operations => _operations;

    internal AccessPolicy Access => _access;

    internal ILogger Logger => _logger;

    private async Task RefuseAsync(ConnectionContext connection, ConnectionAdmission admission, string clientHost)
    {
        ConnectionLog.Refused(_logger, _limiter, admission, clientHost);
        string message = admission == ConnectionAdmission.AddressFull
            ? $"your address has {_limiter.PerAddressLimit} connections open, the most one address may have; close one or try again later"
            : $"the server is at its limit of {_limiter.Limit} connections; try again later";

        if (!_limiter.TryBeginRefusal())
        {
            connection.Abort(new ConnectionAbortedException("refused: connection limit"));
            return;
        }

        try
        {
            await SendFinalErrorAsync(connection, SockitErrorCode.ServerBusy, message, null).ConfigureAwait(false);
            await LingeringClose.DrainAsync(connection.Transport.Input).ConfigureAwait(false);
        }
        finally
        {
            _limiter.EndRefusal();
        }
    }

    internal static async Task CloseForTimeoutAsync(ConnectionContext connection, SockitTimeoutException ex, long? id, string? op)
    {
        if (ex.Code == SockitErrorCode.WriteTimeout)
        {
            // Its replies are stuck behind data it will not read: nothing more can reach it, and a graceful
            // close would wait on that data forever. Resetting is the only way to free the socket.
            connection.Abort(new ConnectionAbortedException(ex.Message));
            return;
        }

        await SendFinalErrorAsync(connection, ex.Code, ex.Message, id, op).ConfigureAwait(false);
    }

    internal async Task CloseForProtocolErrorAsync(ConnectionContext connection, SockitProtocolException ex, string? op)
    {
        ConnectionLog.ProtocolError(_logger, ex.Code.Value, ex.Message);
        await SendFinalErrorAsync(connection, ex.Code, ex.Message, ex.RequestId, op).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a last error frame before the connection closes. The peer may be gone or not reading, which is
    /// fine: the attempt is bounded and then given up.
    /// </summary>
    internal static async Task SendFinalErrorAsync(
        ConnectionContext connection, SockitErrorCode code, string message, long? id, string? op = null)
    {
        try
        {
            var output = connection.Transport.Output;
            SessionOutput.WriteError(output, code, message, op, id);
            using var deadline = new CancellationTokenSource(FinalErrorTimeout);
            await output.FlushAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ConnectionFailures.IsAbruptDisconnect(ex) || ex is InvalidOperationException)
        {
            // Nobody is left to tell (or the output already completed).
        }
    }

    internal Task CloseForLoginDeadlineAsync(ConnectionContext connection)
    {
        AuthLog.LoginDeadlinePassed(_logger, _access.LoginTimeout.TotalSeconds);
        return SendFinalErrorAsync(
            connection,
            SockitErrorCode.LoginTimeout,
            $"no login within {_access.LoginTimeout.TotalSeconds:0.###} s; anonymous connections must log in or use an anonymous operation in time",
            null);
    }
}
