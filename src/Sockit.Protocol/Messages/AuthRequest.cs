namespace Sockit.Protocol.Messages;

/// <summary>
/// An <c>auth</c> request. For SCRAM-SHA-256, <see cref="Sasl"/> carries the client-first message, then the
/// client-final one. For HMAC-SHA256, <see cref="User"/> and <see cref="Response"/> answer the current nonce; without
/// a response the request asks for a fresh nonce.
/// </summary>
public sealed class AuthRequest
{
    /// <summary>Always <c>auth</c>.</summary>
    public string Op { get; set; } = Ops.Auth;

    /// <summary>The request's id, echoed in the reply.</summary>
    public long? Id { get; set; }

    /// <summary><c>SCRAM-SHA-256</c> or <c>HMAC-SHA256</c>.</summary>
    public string? Mechanism { get; set; }

    /// <summary>The SCRAM message of this step.</summary>
    public string? Sasl { get; set; }

    /// <summary>The user name (HMAC-SHA256 only; SCRAM carries it inside its first message).</summary>
    public string? User { get; set; }

    /// <summary>HMAC-SHA256(key, nonce) in hex, where nonce is the base64-decoded nonce from the hello or the last challenge.</summary>
    public string? Response { get; set; }
}
