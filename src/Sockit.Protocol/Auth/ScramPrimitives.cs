using System.Security.Cryptography;
using System.Text;

namespace Sockit.Protocol.Auth;

/// <summary>The SCRAM-SHA-256 functions of RFC 5802 section 2.2, with SHA-256 as RFC 7677 asks.</summary>
internal static class ScramPrimitives
{
    /// <summary>The length of every key, signature and proof.</summary>
    public const int KeySize = 32;

    /// <summary>The fewest iterations RFC 7677 allows.</summary>
    public const int MinIterations = 4096;

    /// <summary>
    /// The most iterations a client computes and an account may have: a few seconds of one core here, and well above
    /// the 600,000 that current guidance asks for. A server asking for more (up to 2^31, some minutes of CPU per
    /// login attempt) is refused.
    /// </summary>
    public const int MaxIterations = 10_000_000;

    private static readonly byte[] ClientKeyLabel = "Client Key"u8.ToArray();
    private static readonly byte[] ServerKeyLabel = "Server Key"u8.ToArray();

    /// <summary>Hi(): PBKDF2 with HMAC-SHA-256 and one output block.</summary>
    public static byte[] SaltedPassword(string preparedPassword, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(preparedPassword), salt, iterations, HashAlgorithmName.SHA256, KeySize);

    public static byte[] ClientKey(byte[] saltedPassword) => HMACSHA256.HashData(saltedPassword, ClientKeyLabel);

    public static byte[] ServerKey(byte[] saltedPassword) => HMACSHA256.HashData(saltedPassword, ServerKeyLabel);

    public static byte[] StoredKey(byte[] clientKey) => SHA256.HashData(clientKey);

    /// <summary>HMAC(key, AuthMessage), the AuthMessage encoded as UTF-8.</summary>
    public static byte[] Signature(byte[] key, string authMessage) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(authMessage));

    public static byte[] Xor(byte[] left, byte[] right)
    {
        var result = new byte[left.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (byte)(left[i] ^ right[i]);
        }

        return result;
    }
}
