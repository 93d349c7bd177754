using Microsoft.Extensions.Hosting;
using Sockit.Protocol.Messages;
using Sockit.Server.Hosting;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Tests.Sessions;

/// <summary>The session directory at shutdown: subscribers hear <c>shutting_down</c> before their connections stop.</summary>
public sealed class SessionDirectoryTests
{
    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _started = new();
        private readonly CancellationTokenSource _stopping = new();
        private readonly CancellationTokenSource _stopped = new();

        public CancellationToken ApplicationStarted => _started.Token;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => _stopped.Token;

        public void StopApplication() => _stopping.Cancel();

        public void Dispose()
        {
            _started.Dispose();
            _stopping.Dispose();
            _stopped.Dispose();
        }
    }

    [Fact]
    public async Task Connections_are_told_to_stop_only_once_the_shutting_down_event_is_queued_for_them()
    {
        using var lifetime = new Lifetime();
        using var directory = new SessionDirectory(new SockitServerOptions { ShutdownTimeout = TimeSpan.FromSeconds(3) }, lifetime);
        await using var harness = new SessionHarness();
        harness.Session.Subscribe([SessionDirectory.ServerTopic]);
        directory.Add(harness.Session);

        // A connection that stops at once: its loop closes the event queue as soon as it is told.
        using var stop = directory.Stopping.Register(() => _ = harness.Session.StopEventsAsync());
        Assert.False(directory.Stopping.IsCancellationRequested);
        lifetime.StopApplication();
        await harness.Session.StopEventsAsync();

        var (notice, _) = await harness.ReadSentAsync(SockitJsonContext.Default.ServerEvent);
        Assert.True(directory.Stopping.IsCancellationRequested);
        Assert.Equal("event", notice.Kind);
        Assert.Equal(SessionDirectory.ServerTopic, notice.Topic);
        Assert.Equal("shutting_down", notice.Event);
        Assert.Equal(3000, notice.GraceMs);
    }
}
