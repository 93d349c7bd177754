namespace Sockit.Protocol.Auth;

/// <summary>The login mechanisms of the <c>auth</c> operation, as the hello lists them.</summary>
public static class AuthMechanisms
{
    /// <summary>SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding: a password login in two round trips.</summary>
    public const string ScramSha256 = "SCRAM-SHA-256";

    /// <summary>The tutorials' challenge with SHA-256: the answer is <c>HMAC-SHA256(key, nonce)</c> under a user name.</summary>
    public const string HmacSha256 = "HMAC-SHA256";
}
