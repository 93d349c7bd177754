namespace Sockit.Protocol.Messages;

/// <summary>The server's greeting: who it is and what it offers. Sent before the client says anything.</summary>
public sealed class HelloMessage
{
    /// <summary>Always <c>hello</c>.</summary>
    public string Op { get; init; } = Messages.Ops.Hello;

    /// <summary>Always <see langword="true"/>: a hello is a successful frame.</summary>
    public bool Ok { get; init; } = true;

    /// <summary>The server's name, as configured.</summary>
    public string Server { get; init; } = "sockit";

    /// <summary>The server software's version.</summary>
    public string Version { get; init; } = "";

    /// <summary>The protocol version the server speaks.</summary>
    public int Protocol { get; init; } = ProtocolInfo.Version;

    /// <summary>The operations this connection may request.</summary>
    public IReadOnlyList<string> Ops { get; init; } = [];

    /// <summary>The authentication mechanisms the server accepts; empty when none are configured.</summary>
    public IReadOnlyList<string> Auth { get; init; } = [];

    /// <summary>A fresh random nonce (base64), unique to this connection, for challenge-based login.</summary>
    public string Nonce { get; init; } = "";

    /// <summary>The largest header the server accepts, in bytes.</summary>
    public int MaxHeaderLength { get; init; }
}
