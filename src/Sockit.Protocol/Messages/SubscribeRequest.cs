namespace Sockit.Protocol.Messages;

/// <summary>A <c>subscribe</c> or <c>unsubscribe</c> request: which server event topics to start or stop.</summary>
public sealed class SubscribeRequest
{
    /// <summary><c>subscribe</c> or <c>unsubscribe</c>.</summary>
    public string Op { get; set; } = Ops.Subscribe;

    /// <summary>The request's id.</summary>
    public long? Id { get; set; }

    /// <summary>The topics, e.g. <c>server</c>.</summary>
    public IReadOnlyList<string> Topics { get; set; } = [];
}
