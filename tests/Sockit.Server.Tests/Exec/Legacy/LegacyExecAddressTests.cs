using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.Server.Exec;
using Sockit.Server.Exec.Legacy;

namespace Sockit.Server.Tests.Exec.Legacy;

public sealed class LegacyExecAddressTests
{
    [Theory]
    [InlineData("tcp://127.0.0.1:0")]
    [InlineData("127.0.0.5:8888")]
    [InlineData("tcp://[::1]:9999")]
    [InlineData("unix:/tmp/sockit-legacy.sock")]
    public void Without_a_key_loopback_and_unix_sockets_are_allowed(string address)
    {
        var parsed = LegacyExecAddress.Parse(new LegacyExecOptions { Address = address });

        Assert.True(parsed.Scheme is AddressScheme.Tcp or AddressScheme.Unix);
    }

    [Theory]
    [InlineData("tcp://0.0.0.0:8888")]
    [InlineData("tcp://[::]:8888")]
    [InlineData("tcp://192.168.1.10:8888")]
    [InlineData("tcp://localhost:8888")]
    [InlineData("tcp://example.com:8888")]
    public void Without_a_key_any_other_address_is_refused_saying_why(string address)
    {
        var ex = Assert.Throws<SockitException>(() => LegacyExecAddress.Parse(new LegacyExecOptions { Address = address }));

        Assert.Equal(SockitErrorCode.InvalidAddress, ex.Code);
        Assert.StartsWith($"cannot listen on {SockitAddress.Parse(address, AddressScheme.Tcp, 0)}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot log in", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Sockit:Exec:Legacy:HmacKey", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_a_key_any_address_is_allowed_and_an_empty_key_is_none()
    {
        Assert.Equal("0.0.0.0", LegacyExecAddress.Parse(new LegacyExecOptions { Address = "tcp://0.0.0.0:8888", HmacKey = "k" }).Host);
        Assert.Throws<SockitException>(() => LegacyExecAddress.Parse(new LegacyExecOptions { Address = "tcp://0.0.0.0:8888", HmacKey = "" }));
    }

    [Theory]
    [InlineData("tls://127.0.0.1:8888")]
    [InlineData("udp://127.0.0.1:8888")]
    public void Tls_and_udp_are_refused(string address)
    {
        var ex = Assert.Throws<SockitException>(() => LegacyExecAddress.Parse(new LegacyExecOptions { Address = address, HmacKey = "k" }));

        Assert.Contains("tcp://HOST:PORT or unix:PATH", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_without_a_port_takes_the_tutorials_8888()
    {
        Assert.Equal(8888, LegacyExecAddress.Parse(new LegacyExecOptions { Address = "127.0.0.1" }).Port);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("  ", false)]
    [InlineData("127.0.0.1:8888", true)]
    public void Only_a_non_empty_address_asks_for_a_listener(string? address, bool configured)
    {
        Assert.Equal(configured, LegacyExecAddress.IsConfigured(new LegacyExecOptions { Address = address }));
    }
}
