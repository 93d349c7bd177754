namespace Sockit.Protocol.Messages;

/// <summary>Asks the server to send the body back.</summary>
public sealed class EchoRequest
{
    /// <summary>Always <c>echo</c>.</summary>
    public string Op { get; set; } = Ops.Echo;

    /// <summary>Optional request id, echoed on the reply.</summary>
    public long? Id { get; set; }

    /// <summary>Size of the body (the text to echo) in bytes; absent or null means 0.</summary>
    public long? DataSize { get; set; }

    /// <summary>When <see langword="true"/> the reply is the body upper-cased (the body must then be UTF-8).</summary>
    public bool Upper { get; set; }
}
