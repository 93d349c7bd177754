namespace Sockit.Protocol.Messages;

/// <summary>
/// A frame that steers a request in flight rather than starting one: <c>input</c>, <c>end</c>, <c>cancel</c> and
/// <c>window</c> from a client, <c>window</c> from a server.
/// </summary>
public sealed class ControlFrame
{
    /// <summary>The frame's kind: <c>input</c>, <c>end</c>, <c>cancel</c> or <c>window</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The request it is about.</summary>
    public long Id { get; set; }

    /// <summary>On a <c>window</c> frame: how many more body bytes the peer may send for the request.</summary>
    public long? Credit { get; set; }

    /// <summary>On an <c>input</c> frame: the size of the chunk that follows.</summary>
    public long? DataSize { get; set; }
}
