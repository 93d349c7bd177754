using System.Security.Cryptography;
using System.Text;

namespace Sockit.Server.Exec.Legacy;

/// <summary>
/// The tutorials' client-legitimacy check: on accept the server sends <see cref="NonceLength"/> random bytes, the client
/// answers <c>hmac.new(secret_key, msg, digest).digest()</c>, and the server compares in constant time.
/// </summary>
internal sealed class LegacyChallenge
{
    /// <summary>Bytes of challenge sent, as the tutorial's <c>os.urandom(32)</c>.</summary>
    public const int NonceLength = 32;

    private readonly byte[] _key;
    private readonly HashAlgorithmName _digest;

    /// <summary>A check with the key <paramref name="key"/> (its UTF-8 bytes) and the digest <c>md5</c> or <c>sha256</c>.</summary>
    public LegacyChallenge(string key, string digest)
    {
        _key = Encoding.UTF8.GetBytes(key);
        _digest = digest == "md5" ? HashAlgorithmName.MD5 : HashAlgorithmName.SHA256;
    }

    /// <summary>The check's name for the log: <c>HMAC-MD5</c> or <c>HMAC-SHA256</c>.</summary>
    public string Name => "HMAC-" + _digest.Name;

    /// <summary>Bytes of a client's answer: the digest's size.</summary>
    public int AnswerLength => _digest == HashAlgorithmName.MD5 ? 16 : 32;

    /// <summary>A fresh challenge, never used before.</summary>
    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceLength);

    /// <summary>The answer a client holding the key gives to <paramref name="nonce"/>.</summary>
    // HMAC-MD5 is what the tutorials' clients compute (Python's old hmac.new default). As a MAC it is still unbroken:
    // MD5's collisions do not let anyone answer a fresh challenge without the key.
    public byte[] AnswerTo(ReadOnlySpan<byte> nonce) => CryptographicOperations.HmacData(_digest, _key, nonce);

    /// <summary>Whether <paramref name="answer"/> is the right answer to <paramref name="nonce"/>, compared in constant time.</summary>
    public bool Verify(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> answer) =>
        CryptographicOperations.FixedTimeEquals(AnswerTo(nonce), answer);
}
