using System.Security.Cryptography;

namespace Sockit.Protocol.Auth;

/// <summary>
/// A shared-key challenge-response with HMAC-SHA-256: the server sends a random nonce, the client answers
/// <c>HMAC-SHA-256(key, nonce)</c>, and the server checks the answer with a constant-time comparison.
/// </summary>
/// <remarks>
/// These are the primitives only. Keeping each nonce single-use (remember the ones handed out, accept each answer
/// once, expire them) is the server's job: without that, an answer seen once can be replayed.
/// </remarks>
public static class HmacChallenge
{
    /// <summary>The length in bytes of a nonce from <see cref="NewNonce"/>, of a key from <see cref="NewKey"/>, and of a response.</summary>
    public const int Size = 32;

    /// <summary>Makes a fresh random nonce of <see cref="Size"/> bytes. The server must accept an answer to it only once.</summary>
    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(Size);

    /// <summary>Makes a fresh random shared key of <see cref="Size"/> bytes.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(Size);

    /// <summary>Computes the answer to a challenge: <c>HMAC-SHA-256(key, nonce)</c>.</summary>
    public static byte[] ComputeResponse(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce) => HMACSHA256.HashData(key, nonce);

    /// <summary>
    /// Checks an answer in constant time. An answer of the wrong length is simply wrong. This does not know whether
    /// the nonce was already used: the caller must make sure it was not.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> response)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, nonce, expected);
        return CryptographicOperations.FixedTimeEquals(expected, response);
    }
}
