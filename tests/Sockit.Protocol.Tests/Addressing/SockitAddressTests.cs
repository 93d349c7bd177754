using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;

namespace Sockit.Protocol.Tests.Addressing;

public class SockitAddressTests
{
    [Theory]
    [InlineData("tls://example.com:9443", "example.com", 9443)]
    [InlineData("TLS://127.0.0.1:9443/", "127.0.0.1", 9443)]
    [InlineData("tls://[::1]:9443", "::1", 9443)]
    [InlineData("tls://example.com", "example.com", 9000)]
    public void Tls_addresses_parse_to_a_tls_scheme(string text, string host, int port)
    {
        var address = SockitAddress.Parse(text);

        Assert.Equal(new SockitAddress(AddressScheme.Tls, host, port, string.Empty), address);
        Assert.True(address.IsTcp);
    }

    [Theory]
    [InlineData("tls://example.com:9443", "tls://example.com:9443")]
    [InlineData("tls://[::1]:9443", "tls://[::1]:9443")]
    [InlineData("tcp://[::1]:9000", "tcp://[::1]:9000")]
    [InlineData("udp://127.0.0.1:9002", "udp://127.0.0.1:9002")]
    [InlineData("unix:/run/sockit.sock", "unix:/run/sockit.sock")]
    public void Addresses_print_as_they_parse(string text, string printed) =>
        Assert.Equal(printed, SockitAddress.Parse(text).ToString());

    [Fact]
    public void Host_and_port_bracket_ipv6_literals() =>
        Assert.Equal("[::1]:9443", SockitAddress.Parse("tls://[::1]:9443").HostPort);

    [Fact]
    public void An_unknown_scheme_names_every_scheme_there_is()
    {
        var error = Assert.Throws<SockitException>(() => SockitAddress.Parse("ssl://host:1"));

        Assert.Equal(SockitErrorCode.InvalidAddress, error.Code);
        Assert.Contains("use tcp://, tls://, udp:// or unix:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_tcp_and_tls_are_tcp_streams()
    {
        Assert.True(SockitAddress.Parse("tcp://h:1").IsTcp);
        Assert.False(SockitAddress.Parse("udp://h:1").IsTcp);
        Assert.False(SockitAddress.Parse("unix:/x").IsTcp);
    }
}
