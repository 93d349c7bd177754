using Sockit.Protocol.Auth;

namespace Sockit.Client.Auth;

/// <summary>
/// How a client logs in: a password (SCRAM-SHA-256), an HMAC key (the tutorials' challenge), or keys saved from an
/// earlier password login. The password itself is never sent; SCRAM also proves the server knows it.
/// </summary>
public sealed class SockitCredentials
{
    private SockitCredentials(string user, string? password, byte[]? key, ScramClientKeys? savedKeys)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        User = user;
        Password = password;
        Key = key;
        SavedKeys = savedKeys;
    }

    /// <summary>The user name.</summary>
    public string User { get; }

    /// <summary>The mechanism these credentials log in with.</summary>
    public string Mechanism => Key is null ? AuthMechanisms.ScramSha256 : AuthMechanisms.HmacSha256;

    internal string? Password { get; }

    internal byte[]? Key { get; }

    internal ScramClientKeys? SavedKeys { get; }

    /// <summary>A password login (SCRAM-SHA-256).</summary>
    public static SockitCredentials FromPassword(string user, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return new SockitCredentials(user, password, null, null);
    }

    /// <summary>A key login (HMAC-SHA256 over the server's nonce), with a key from <c>sockit user key</c>.</summary>
    public static SockitCredentials FromKey(string user, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 16)
        {
            throw new ArgumentException("an HMAC key must be at least 16 bytes", nameof(key));
        }

        return new SockitCredentials(user, null, (byte[])key.Clone(), null);
    }

    /// <summary>A password login with keys saved from an earlier one (<see cref="SockitClient.DerivedKeys"/>) instead of the password.</summary>
    public static SockitCredentials FromSavedKeys(string user, ScramClientKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new SockitCredentials(user, null, null, keys);
    }
}
