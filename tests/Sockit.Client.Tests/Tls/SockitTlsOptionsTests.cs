using Sockit.Client.Tls;

namespace Sockit.Client.Tests.Tls;

public class SockitTlsOptionsTests
{
    [Fact]
    public async Task A_fingerprint_that_is_not_32_bytes_of_hex_is_refused_before_connecting()
    {
        var options = new SockitClientOptions { Tls = new SockitTlsOptions { Fingerprint = "AB:CD:EF" } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => SockitClient.ConnectAsync("tls://127.0.0.1:1", options));

        Assert.Equal("Fingerprint", error.ParamName);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_trust_the_system_only()
    {
        var defaults = SockitClientOptions.Default.Tls;

        Assert.Null(defaults.Fingerprint);
        Assert.Null(defaults.KnownHostsFile);
        Assert.False(defaults.AcceptNew);
        Assert.False(defaults.CheckRevocation);
        Assert.Null(defaults.PinnedFingerprint);
    }
}
