namespace Sockit.Protocol.Messages;

/// <summary>
/// A successful step of <c>auth</c>. When <see cref="Done"/> is <see langword="false"/> the login goes on: the client
/// answers <see cref="Sasl"/> (SCRAM) or <see cref="Nonce"/> (HMAC). When it is <see langword="true"/> the connection
/// is logged in as <see cref="User"/>.
/// </summary>
public sealed class AuthReply
{
    /// <summary>Always <c>auth</c>.</summary>
    public string Op { get; set; } = Ops.Auth;

    /// <summary>The request's id, when it had one.</summary>
    public long? Id { get; set; }

    /// <summary>Always <see langword="true"/>.</summary>
    public bool Ok { get; set; } = true;

    /// <summary>Whether the connection is now logged in.</summary>
    public bool Done { get; set; }

    /// <summary>The SCRAM server message: server-first while going on, server-final (<c>v=...</c>) when done.</summary>
    public string? Sasl { get; set; }

    /// <summary>A fresh challenge nonce (base64) for the HMAC mechanism.</summary>
    public string? Nonce { get; set; }

    /// <summary>The user logged in as, once done.</summary>
    public string? User { get; set; }

    /// <summary>The user's permissions, once done.</summary>
    public IReadOnlyList<string>? Permissions { get; set; }
}
