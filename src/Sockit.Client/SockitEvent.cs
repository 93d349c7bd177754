using System.Text.Json.Serialization.Metadata;
using Sockit.Client.Connection;
using Sockit.Protocol.Messages;

namespace Sockit.Client;

/// <summary>A server event delivered to a <see cref="SockitSubscription"/>.</summary>
/// <remarks>
/// The event owns its memory: <see cref="HeaderJson"/> and <see cref="Body"/> stay valid as long as it is kept. The same
/// instance goes to every subscription that takes its topic.
/// </remarks>
public sealed class SockitEvent
{
    internal SockitEvent(ServerEvent header, ReadOnlyMemory<byte> headerJson, ReadOnlyMemory<byte> body)
    {
        Header = header;
        HeaderJson = headerJson;
        Body = body;
    }

    /// <summary>The name a subscriber's own notice of lost events has, like the server's.</summary>
    public const string DroppedName = "dropped";

    /// <summary>
    /// The topic it was published on, or <see langword="null"/> for a <c>dropped</c> notice, which concerns every topic.
    /// </summary>
    public string? Topic => Header.Topic;

    /// <summary>What happened, e.g. <c>shutting_down</c>, or <see cref="DroppedName"/>.</summary>
    public string Name => Header.Event;

    /// <summary>
    /// The fields every event may have. On a <see cref="DroppedName"/> notice, <see cref="ServerEvent.Dropped"/> says
    /// how many events were lost: by the server's queue, or (when <see cref="IsLocal"/>) by the subscription's.
    /// </summary>
    public ServerEvent Header { get; }

    /// <summary>The header as the server sent it, UTF-8 JSON, for the fields of a topic's own.</summary>
    public ReadOnlyMemory<byte> HeaderJson { get; }

    /// <summary>The event's body, empty when it has none.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Whether this is the subscription's own <see cref="DroppedName"/> notice rather than the server's.</summary>
    public bool IsLocal { get; private init; }

    /// <summary>Reads the header into <typeparamref name="T"/>, for the fields of a topic's own.</summary>
    /// <exception cref="Sockit.Protocol.Errors.SockitProtocolException">A field has the wrong type.</exception>
    public T Deserialize<T>(JsonTypeInfo<T> typeInfo) => HeaderCopy.Deserialize(HeaderJson.Span, typeInfo, "event");

    /// <summary>The notice a subscription puts before the next event it takes after losing <paramref name="count"/>.</summary>
    internal static SockitEvent LocalDropped(long count)
    {
        var header = new ServerEvent
        {
            Event = DroppedName,
            Dropped = count,
            Message = $"{count} events were dropped because the subscriber read them too slowly",
        };
        return new SockitEvent(header, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(header, SockitJsonContext.Default.ServerEvent), default)
        {
            IsLocal = true,
        };
    }
}
