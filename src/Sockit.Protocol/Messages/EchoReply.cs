namespace Sockit.Protocol.Messages;

/// <summary>The echo reply; its body is the request's body, upper-cased if asked.</summary>
public sealed class EchoReply
{
    /// <summary>Always <c>echo</c>.</summary>
    public string Op { get; set; } = Ops.Echo;

    /// <summary>The request's id, when it had one.</summary>
    public long? Id { get; set; }

    /// <summary>Always <see langword="true"/>.</summary>
    public bool Ok { get; set; } = true;

    /// <summary>Size of the body that follows.</summary>
    public long DataSize { get; set; }
}
