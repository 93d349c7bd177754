using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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

    public override Task OnConnectedAsync(ConnectionContext connection) =>
        RawConnection.ServeAsync(connection, _limiter, _lifetime, _logger, async () =>
        {
            await EchoAsync(connection).ConfigureAwait(false);
            ConnectionLog.ClosedByClient(_logger);
        });

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

                if (!buffer.IsEmpty
                    && !await RawConnection.FlushAsync(connection, idle, _writeTimeout, _logger, _lifetime.ApplicationStopping).ConfigureAwait(false))
                {
                    return;
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
