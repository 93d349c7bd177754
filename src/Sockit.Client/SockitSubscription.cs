using System.Threading.Channels;
using Sockit.Protocol.Errors;

namespace Sockit.Client;

/// <summary>
/// Server events of some topics, as an asynchronous stream (<c>await foreach</c>). Made by
/// <see cref="SockitClient.SubscribeAsync"/>; disposing it unsubscribes the topics no other subscription of the client
/// still takes.
/// </summary>
/// <remarks>
/// Events wait in a queue of <see cref="SockitClientOptions.EventQueueLength"/> per subscription, so a slow subscriber
/// never holds up the connection: when its queue is full, newer events are dropped and counted
/// (<see cref="Dropped"/>), and the next event it takes is preceded by a <see cref="SockitEvent.DroppedName"/> notice
/// saying how many (<see cref="SockitEvent.IsLocal"/>), as the server does for its own queue. When the connection
/// fails, the stream throws the <see cref="SockitException"/> that says why once the queued events are read; after
/// disposal it ends.
/// </remarks>
public sealed class SockitSubscription : IAsyncEnumerable<SockitEvent>, IAsyncDisposable
{
    private readonly SockitClient _client;
    private readonly Channel<SockitEvent> _events;
    private readonly HashSet<string> _topics;
    private long _dropped;
    private long _undelivered;
    private int _disposed;

    internal SockitSubscription(SockitClient client, IReadOnlyList<string> topics, int queueLength)
    {
        _client = client;
        Topics = topics;
        _topics = new HashSet<string>(topics, StringComparer.Ordinal);
        _events = Channel.CreateBounded<SockitEvent>(new BoundedChannelOptions(queueLength) { SingleWriter = true });
    }

    /// <summary>The topics this subscription takes.</summary>
    public IReadOnlyList<string> Topics { get; }

    /// <summary>How many events this subscription has dropped because its queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Walks the events as they come; the enumeration ends when the subscription is disposed.</summary>
    public IAsyncEnumerator<SockitEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        _events.Reader.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>Stops the subscription, unsubscribing topics no other subscription takes (if the connection is still up).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _events.Writer.TryComplete();
            await _client.UnsubscribeAsync(this).ConfigureAwait(false);
        }
    }

    /// <summary>Whether an event of <paramref name="topic"/> is for this subscription (every one takes topic-less notices).</summary>
    internal bool Takes(string? topic) => topic is null || _topics.Contains(topic);

    /// <summary>Queues an event without waiting: called by the read loop only.</summary>
    internal void Offer(SockitEvent item)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        if (_undelivered > 0)
        {
            if (!_events.Writer.TryWrite(SockitEvent.LocalDropped(_undelivered)))
            {
                Drop();
                return;
            }

            _undelivered = 0;
        }

        if (!_events.Writer.TryWrite(item))
        {
            Drop();
        }
    }

    /// <summary>Counts an event this subscription could not take (its queue was full, or it was too large).</summary>
    internal void Drop()
    {
        _undelivered++;
        Interlocked.Increment(ref _dropped);
    }

    /// <summary>The connection failed: the stream throws <paramref name="reason"/> after the queued events.</summary>
    internal void Fail(SockitException reason) => _events.Writer.TryComplete(reason);
}
