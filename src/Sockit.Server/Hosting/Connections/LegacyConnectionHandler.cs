using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sockit.Server.Hosting.Connections;

/// <summary>
/// What the listeners for the tutorials' own clients share around their conversation: admission and logging as every
/// raw service has them (<see cref="RawConnection"/>), the server's timeouts, a log budget for the warnings a client can
/// cause at will, and, when the listener has a key, the tutorials' HMAC challenge before anything else.
/// </summary>
internal abstract class LegacyConnectionHandler : ConnectionHandler
{
    private readonly ConnectionLimiter _limiter;
    private readonly LegacyChallenge? _challenge;

    /// <summary>A handler for the listener <paramref name="legacy"/> configures, under the server's <paramref name="options"/>.</summary>
    protected LegacyConnectionHandler(
        SockitServerOptions options,
        ILegacyListenerOptions legacy,
        ConnectionLimiter limiter,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _limiter = limiter;
        _challenge = LegacyListener.ChallengeOf(legacy);
        Lifetime = lifetime;
        Logger = logger;

        // A failed challenge, or anything else a client can get warned about, costs it one connection; logged each
        // time, it would let anyone flood the log.
        WarningLog = new LogBudget(5, time);
        IdleTimeout = options.IdleTimeout;
        WriteTimeout = options.WriteTimeout;
        HeaderTimeout = options.HeaderTimeout;
    }

    /// <summary>The server's lifetime: its stopping token ends every conversation.</summary>
    protected IHostApplicationLifetime Lifetime { get; }

    /// <summary>The listener's logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>Lets warnings a client can cause through a few times a second.</summary>
    protected LogBudget WarningLog { get; }

    /// <summary>How long a client may send nothing when something is due.</summary>
    protected TimeSpan IdleTimeout { get; }

    /// <summary>How long a client has to take what is sent to it.</summary>
    protected TimeSpan WriteTimeout { get; }

    /// <summary>How long a client has to complete a header, or its answer to the challenge.</summary>
    protected TimeSpan HeaderTimeout { get; }

    /// <inheritdoc />
    public sealed override Task OnConnectedAsync(ConnectionContext connection) =>
        RawConnection.ServeAsync(connection, _limiter, Lifetime, Logger, () => BeginAsync(connection));

    /// <summary>The listener's own conversation, once the client has passed the challenge, if there is one.</summary>
    /// <param name="connection">The client's connection.</param>
    /// <param name="deadline">
    /// The conversation's timer, linked to shutdown; not to <c>ConnectionClosed</c>, which fires on the client's FIN,
    /// when an answer may still be owed.
    /// </param>
    /// <param name="remote">The client's address as logs show it.</param>
    protected abstract Task ConverseAsync(ConnectionContext connection, CancellationTokenSource deadline, string remote);

    /// <summary>Logs a client that failed the challenge (within <see cref="WarningLog"/>, which left out <paramref name="unlogged"/> before it).</summary>
    protected abstract void LogChallengeFailed(string remote, string reason, int unlogged);

    private async Task BeginAsync(ConnectionContext connection)
    {
        var remote = RawConnection.RemoteOf(connection);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Lifetime.ApplicationStopping);
        if (_challenge is not null
            && !await _challenge.PassAsync(connection, deadline, WriteTimeout, HeaderTimeout, Logger, Failed, Lifetime.ApplicationStopping)
                .ConfigureAwait(false))
        {
            return;
        }

        await ConverseAsync(connection, deadline, remote).ConfigureAwait(false);

        void Failed(string reason)
        {
            if (WarningLog.TryTake(out int unlogged))
            {
                LogChallengeFailed(remote, reason, unlogged);
            }
        }
    }
}
