using System.Collections.Concurrent;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Hosting;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Server.Hosting;

namespace Sockit.Server.Sessions.Internal;

/// <summary>
/// Every live framed connection. Also carries out shutdown for them: it tells subscribers of <c>server</c> at once,
/// and aborts the requests still running when the grace period is nearly over, so they can still send their last
/// reply before the connections are closed.
/// </summary>
internal sealed class SessionDirectory : ISessionDirectory, IDisposable
{
    /// <summary>The topic of the server's own events.</summary>
    public const string ServerTopic = "server";

    private readonly ConcurrentDictionary<SockitSession, byte> _sessions = new();
    private readonly TimeSpan _grace;
    private readonly CancellationTokenRegistration _stopping;
    private readonly CancellationTokenSource _stopped = new();
    private Timer? _graceTimer;

    public SessionDirectory(SockitServerOptions options, IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lifetime);
        _grace = options.ShutdownTimeout;
        _stopping = lifetime.ApplicationStopping.UnsafeRegister(static state => ((SessionDirectory)state!).OnStopping(), this);
    }

    /// <summary>
    /// Fires when the server begins to stop, once the <c>shutting_down</c> event is queued for every subscriber: a
    /// connection that stops reading for it sends that event before it closes.
    /// </summary>
    public CancellationToken Stopping => _stopped.Token;

    public IReadOnlyCollection<SockitSession> Sessions => [.. _sessions.Keys];

    public IReadOnlyList<SockitSession> FindByUser(string userName) =>
        [.. _sessions.Keys.Where(session => string.Equals(session.User?.Name, userName, StringComparison.Ordinal))];

    public int Publish<T>(string topic, T header, JsonTypeInfo<T> typeInfo, ReadOnlySpan<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(typeInfo);
        var frame = new EventFrame(FrameWriter.Encode(header, typeInfo, body));
        int queued = 0;
        foreach (var session in _sessions.Keys)
        {
            if (session.TryEnqueueEvent(topic, frame))
            {
                queued++;
            }
        }

        return queued;
    }

    public void Add(SockitSession session) => _sessions.TryAdd(session, 0);

    public void Remove(SockitSession session) => _sessions.TryRemove(session, out _);

    private void OnStopping()
    {
        try
        {
            Publish(
                ServerTopic,
                new ServerEvent
                {
                    Topic = ServerTopic,
                    Event = "shutting_down",
                    Message = "the server is shutting down",
                    GraceMs = (long)_grace.TotalMilliseconds,
                },
                SockitJsonContext.Default.ServerEvent);
        }
        finally
        {
            // Only now do the connections stop reading: each sends its queued events before it closes.
            _stopped.Cancel();
        }

        // Leave the requests a moment before the connections are cut, so their cancelled replies still reach the clients.
        // Two seconds, as a timer on a busy machine can fire most of a second late and the cut must not come first.
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, _grace.Ticks / 2));
        _graceTimer = new Timer(static state => ((SessionDirectory)state!).AbortAll(), this, _grace - margin, Timeout.InfiniteTimeSpan);
    }

    private void AbortAll()
    {
        foreach (var session in _sessions.Keys)
        {
            session.Requests.AbortAll(AbortReason.ShuttingDown);
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _graceTimer?.Dispose();
        _stopped.Dispose();
    }
}
