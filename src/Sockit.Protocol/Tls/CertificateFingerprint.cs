using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sockit.Protocol.Tls;

/// <summary>
/// The SHA-256 fingerprint of a certificate, written the way <c>openssl x509 -fingerprint -sha256</c> writes it:
/// upper-case hex pairs separated by colons.
/// </summary>
public static class CertificateFingerprint
{
    /// <summary>The length of a SHA-256 fingerprint in bytes.</summary>
    public const int Length = 32;

    /// <summary>The fingerprint of <paramref name="certificate"/> (a hash of its DER encoding).</summary>
    public static byte[] Compute(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.GetCertHash(HashAlgorithmName.SHA256);
    }

    /// <summary><paramref name="fingerprint"/> as <c>AB:CD:...</c>.</summary>
    public static string Format(ReadOnlySpan<byte> fingerprint) =>
        string.Join(':', Convert.ToHexString(fingerprint).Chunk(2).Select(pair => new string(pair)));

    /// <summary>The fingerprint of <paramref name="certificate"/> as <c>AB:CD:...</c>.</summary>
    public static string Format(X509Certificate2 certificate) => Format(Compute(certificate));

    /// <summary>
    /// Reads a fingerprint written as hex, in either case, with or without colons (or spaces) between the pairs.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out byte[]? fingerprint)
    {
        fingerprint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var hex = text.Trim().Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (hex.Length != Length * 2 || !hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        fingerprint = Convert.FromHexString(hex);
        return true;
    }
}
