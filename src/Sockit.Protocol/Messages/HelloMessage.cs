namespace Sockit.Protocol.Messages;

/// <summary>The server's greeting: who it is and what it offers. Sent before the client says anything.</summary>
public sealed class HelloMessage
{
    /// <summary>Always <c>hello</c>.</summary>
    public string Op { get; set; } = Messages.Ops.Hello;

    /// <summary>Always <see langword="true"/>: a hello is a successful frame.</summary>
    public bool Ok { get; set; } = true;

    /// <summary>The server's name, as configured.</summary>
    public string Server { get; set; } = "sockit";

    /// <summary>The server software's version.</summary>
    public string Version { get; set; } = "";

    /// <summary>The protocol version the server speaks.</summary>
    public int Protocol { get; set; } = ProtocolInfo.Version;

    /// <summary>The operations this connection may request.</summary>
    public IReadOnlyList<string> Ops { get; set; } = [];

    /// <summary>The authentication mechanisms the server accepts; empty when none are configured.</summary>
    public IReadOnlyList<string> Auth { get; set; } = [];

    /// <summary>The operations this connection may use before it logs in; the others answer <c>unauthenticated</c>.</summary>
    public IReadOnlyList<string> AnonymousOps { get; set; } = [];

    /// <summary>A fresh random nonce (base64), unique to this connection, for challenge-based login.</summary>
    public string Nonce { get; set; } = "";

    /// <summary>The largest header the server accepts, in bytes.</summary>
    public int MaxHeaderLength { get; set; }

    /// <summary>The parts of protocol 2 the server speaks (see <see cref="ProtocolInfo.Features"/>).</summary>
    public IReadOnlyList<string> Features { get; set; } = [];

    /// <summary>How many requests with an <c>id</c> may be unanswered at once on the connection.</summary>
    public int MaxInFlight { get; set; }

    /// <summary>The input window: bytes of <c>input</c> bodies a client may send per request before the server grants more.</summary>
    public int InputWindow { get; set; }
}
