using System.Threading.Channels;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Sessions;

/// <summary>Subscriptions and the event queue: events go out in turn with replies, through the same output.</summary>
public sealed partial class SockitSession
{
    /// <summary>How many event frames may wait for one connection; past it, events are dropped and counted.</summary>
    public const int MaxQueuedEvents = 256;

    private readonly Lock _eventLock = new();
    private SortedSet<string>? _topics;
    private Channel<EventFrame>? _events;
    private Task? _pump;
    private long _dropped;

    /// <summary>The event topics the connection subscribed to, sorted.</summary>
    public IReadOnlyList<string> Topics
    {
        get
        {
            lock (_eventLock)
            {
                return _topics is null ? [] : [.. _topics];
            }
        }
    }

    /// <summary>Resets the connection (set by its handler): for a subscriber that stopped taking its events.</summary>
    internal Action<string>? AbortConnection { get; set; }

    /// <summary>Whether the connection has subscribed to any topic.</summary>
    public bool HasSubscriptions
    {
        get
        {
            lock (_eventLock)
            {
                return _topics is { Count: > 0 };
            }
        }
    }

    /// <summary>Whether the connection receives events of <paramref name="topic"/>.</summary>
    public bool IsSubscribed(string topic)
    {
        lock (_eventLock)
        {
            return _topics is not null && _topics.Contains(topic);
        }
    }

    /// <summary>Adds topics; the first subscription starts the connection's event queue.</summary>
    internal void Subscribe(IEnumerable<string> topics)
    {
        lock (_eventLock)
        {
            _topics ??= new SortedSet<string>(StringComparer.Ordinal);
            _topics.UnionWith(topics);
            if (_events is null)
            {
                // Wait mode, only ever written with TryWrite: a full queue refuses the frame, so it is known lost.
                _events = Channel.CreateBounded<EventFrame>(
                    new BoundedChannelOptions(MaxQueuedEvents) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
                _pump = EventPump.RunAsync(Output, _events.Reader, () => Interlocked.Exchange(ref _dropped, 0), reason => AbortConnection?.Invoke(reason));
            }
        }
    }

    /// <summary>Removes topics.</summary>
    internal void Unsubscribe(IEnumerable<string> topics)
    {
        lock (_eventLock)
        {
            _topics?.ExceptWith(topics);
        }
    }

    /// <summary>
    /// Queues an event frame for the connection if it subscribed to <paramref name="topic"/>; a full queue drops it and
    /// counts it, and the count goes out as a <c>dropped</c> event once there is room.
    /// </summary>
    internal bool TryEnqueueEvent(string topic, EventFrame frame)
    {
        Channel<EventFrame>? events;
        lock (_eventLock)
        {
            if (_topics is null || !_topics.Contains(topic))
            {
                return false;
            }

            events = _events;
        }

        if (events is null)
        {
            return false;
        }

        if (events.Writer.TryWrite(frame))
        {
            return true;
        }

        // A full queue drops the frame and counts it (a completed one too: the connection is ending anyway).
        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Stops the event queue and waits until its pump has written its last frame.</summary>
    internal async Task StopEventsAsync()
    {
        Task? pump;
        lock (_eventLock)
        {
            _events?.Writer.TryComplete();
            pump = _pump;
        }

        if (pump is not null)
        {
            await pump.ConfigureAwait(false);
        }
    }
}
