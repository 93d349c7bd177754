namespace Sockit.Protocol.Messages;

/// <summary>The reply to <c>subscribe</c> and <c>unsubscribe</c>: the topics the connection now receives.</summary>
public sealed class SubscribeReply
{
    /// <summary><c>subscribe</c> or <c>unsubscribe</c>.</summary>
    public string Op { get; set; } = Ops.Subscribe;

    /// <summary>The request's id.</summary>
    public long? Id { get; set; }

    /// <summary>Always <see langword="true"/>.</summary>
    public bool Ok { get; set; } = true;

    /// <summary>Every topic the connection is subscribed to after the request, sorted.</summary>
    public IReadOnlyList<string> Topics { get; set; } = [];
}
