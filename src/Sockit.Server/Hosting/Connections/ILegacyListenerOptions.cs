namespace Sockit.Server.Hosting.Connections;

/// <summary>
/// The settings every listener for the tutorials' own clients has: where it listens, and the shared key and digest of
/// the tutorials' HMAC challenge, which is all those clients have in place of a login.
/// </summary>
internal interface ILegacyListenerOptions
{
    /// <summary>Where to listen, or <see langword="null"/> (or blank) for no listener.</summary>
    string? Address { get; }

    /// <summary>The challenge's shared key as text (its UTF-8 bytes are the key); <see langword="null"/> or empty for none.</summary>
    string? HmacKey { get; }

    /// <summary>The challenge's digest: <c>md5</c> or <c>sha256</c>.</summary>
    string HmacDigest { get; }
}
