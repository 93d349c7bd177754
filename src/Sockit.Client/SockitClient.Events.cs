using Sockit.Client.Connection;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;

namespace Sockit.Client;

// Server events: subscriptions, and the topics the connection is subscribed to on the server.
public sealed partial class SockitClient
{
    private readonly Lock _subscriptionGate = new();

    // Subscribing and unsubscribing take turns, so an unsubscribe cannot overtake a subscribe to the same topic.
    private readonly SemaphoreSlim _subscribeLock = new(1, 1);

    // Replaced, never changed: the read loop walks whichever array it finds.
    private SockitSubscription[] _subscriptions = [];

    /// <summary>
    /// Subscribes to server events of <paramref name="topics"/> (e.g. <c>server</c>) and returns them as an
    /// asynchronous stream. Events that arrive while the request is under way are kept already.
    /// </summary>
    /// <exception cref="NotSupportedException">The server has no events (no <c>events</c> feature).</exception>
    /// <exception cref="SockitRemoteException">The server refused the subscription.</exception>
    public async Task<SockitSubscription> SubscribeAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        string[] list = [.. topics];
        if (list.Length == 0 || list.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("subscribe to at least one topic, and name each", nameof(topics));
        }

        RequireFeature(ProtocolFeatures.Events, "subscribing to events");
        ThrowIfBroken();
        var subscription = new SockitSubscription(this, list, Options.EventQueueLength);
        await _subscribeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            AddSubscription(subscription);
            try
            {
                await RequestAsync(
                    id => new SubscribeRequest { Op = Ops.Subscribe, Id = id, Topics = list },
                    SockitJsonContext.Default.SubscribeRequest,
                    SockitJsonContext.Default.SubscribeReply,
                    cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                RemoveSubscription(subscription);
                throw;
            }
        }
        finally
        {
            _subscribeLock.Release();
        }

        return subscription;
    }

    /// <summary>
    /// Ends <paramref name="subscription"/>, unsubscribing the topics nobody else takes. Returns once the request is
    /// on the wire (ahead of any later subscribe); its reply is not waited for.
    /// </summary>
    internal async ValueTask UnsubscribeAsync(SockitSubscription subscription)
    {
        ReplyRequest<SubscribeReply>? request = null;
        await _subscribeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            string[] orphaned = RemoveSubscription(subscription);
            if (orphaned.Length > 0 && IsConnected)
            {
                request = new ReplyRequest<SubscribeReply>(SockitJsonContext.Default.SubscribeReply);
                await StartRequestAsync(
                    request,
                    id => new SubscribeRequest { Op = Ops.Unsubscribe, Id = id, Topics = orphaned },
                    SockitJsonContext.Default.SubscribeRequest,
                    SockitRequestBody.Empty,
                    CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SockitException or ObjectDisposedException)
        {
            // The connection went meanwhile, and its subscriptions with it.
            request = null;
        }
        finally
        {
            _subscribeLock.Release();
        }

        if (request is not null)
        {
            _ = DiscardReplyAsync(request);
        }
    }

    /// <summary>Takes a reply nobody waits for, so that its slot (and any body) are let go; failures are of no interest.</summary>
    private async Task DiscardReplyAsync<TReply>(ReplyRequest<TReply> request)
    {
        try
        {
            var response = await AwaitReplyAsync(request, CancellationToken.None).ConfigureAwait(false);
            await response.DisposeAsync().ConfigureAwait(false);
        }
        catch (SockitException)
        {
            // Refused, timed out, or the connection went: the subscription is over either way.
        }
    }

    private void AddSubscription(SockitSubscription subscription)
    {
        lock (_subscriptionGate)
        {
            if (Volatile.Read(ref _fault) is { } fault)
            {
                throw Closed(fault);
            }

            _subscriptions = [.. _subscriptions, subscription];
        }
    }

    /// <summary>Removes <paramref name="subscription"/>; returns its topics that no other subscription takes.</summary>
    private string[] RemoveSubscription(SockitSubscription subscription)
    {
        lock (_subscriptionGate)
        {
            _subscriptions = [.. _subscriptions.Where(s => !ReferenceEquals(s, subscription))];
            return [.. subscription.Topics.Where(topic => !_subscriptions.Any(s => s.Takes(topic)))];
        }
    }

    private List<SockitSubscription> SubscribersOf(string? topic) =>
        [.. Volatile.Read(ref _subscriptions).Where(s => s.Takes(topic))];

    private SockitSubscription[] DrainSubscriptions()
    {
        lock (_subscriptionGate)
        {
            var all = _subscriptions;
            _subscriptions = [];
            return all;
        }
    }
}
