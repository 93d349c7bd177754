namespace Sockit.Protocol.Messages;

/// <summary>
/// The header of a server event frame. Events of other topics may carry more fields; a client reads the ones it
/// knows.
/// </summary>
public sealed class ServerEvent
{
    /// <summary>Always <c>event</c>.</summary>
    public string Kind { get; set; } = "event";

    /// <summary>The topic it was published on; absent on <c>dropped</c>, which concerns them all.</summary>
    public string? Topic { get; set; }

    /// <summary>What happened, e.g. <c>shutting_down</c>.</summary>
    public string Event { get; set; } = "";

    /// <summary>A human-readable explanation, when the event has one.</summary>
    public string? Message { get; set; }

    /// <summary>On <c>shutting_down</c>: the grace period requests in progress get, in milliseconds.</summary>
    public long? GraceMs { get; set; }

    /// <summary>On <c>dropped</c>: how many events this connection lost because it read them too slowly.</summary>
    public long? Dropped { get; set; }

    /// <summary>Size of the body that follows, when there is one.</summary>
    public long? DataSize { get; set; }
}
