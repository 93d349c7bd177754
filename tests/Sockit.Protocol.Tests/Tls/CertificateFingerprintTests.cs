using Sockit.Protocol.Tls;

namespace Sockit.Protocol.Tests.Tls;

public class CertificateFingerprintTests
{
    private static readonly byte[] Sample = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7))];

    [Fact]
    public void Fingerprints_are_written_like_openssl_writes_them()
    {
        var text = CertificateFingerprint.Format(Sample);

        Assert.StartsWith("00:07:0E:15:", text, StringComparison.Ordinal);
        Assert.Equal(32 * 3 - 1, text.Length);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Hex_with_or_without_colons_in_either_case_reads_back(bool colons, bool lower)
    {
        var text = CertificateFingerprint.Format(Sample);
        text = colons ? text : text.Replace(":", "", StringComparison.Ordinal);
        text = lower ? text.ToLowerInvariant() : text;

        Assert.True(CertificateFingerprint.TryParse(" " + text + " ", out var parsed));
        Assert.Equal(Sample, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AB:CD")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000AB")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public void Anything_but_32_hex_bytes_is_not_a_fingerprint(string? text) =>
        Assert.False(CertificateFingerprint.TryParse(text, out _));
}
