using System.Net.Sockets;
using Sockit.Protocol.Errors;

namespace Sockit.Protocol.Tests.Errors;

public class SocketErrorMapperTests
{
    private const string Peer = "tcp://example.test:9000";

    [Theory]
    [InlineData(SocketError.ConnectionRefused, "connection_refused")]
    [InlineData(SocketError.HostNotFound, "host_not_found")]
    [InlineData(SocketError.NoData, "host_not_found")]
    [InlineData(SocketError.TryAgain, "host_not_found")]
    [InlineData(SocketError.ConnectionReset, "connection_closed")]
    [InlineData(SocketError.ConnectionAborted, "connection_closed")]
    [InlineData(SocketError.Shutdown, "connection_closed")]
    [InlineData(SocketError.NotConnected, "connection_closed")]
    [InlineData(SocketError.AddressNotAvailable, "invalid_address")]
    [InlineData(SocketError.AddressFamilyNotSupported, "invalid_address")]
    [InlineData(SocketError.AddressAlreadyInUse, "invalid_address")]
    [InlineData(SocketError.NetworkUnreachable, "network_error")]
    [InlineData(SocketError.HostUnreachable, "network_error")]
    [InlineData(SocketError.AccessDenied, "network_error")]
    [InlineData(SocketError.SocketError, "network_error")]
    public void Maps_connection_failures_to_their_code(SocketError error, string code)
    {
        var socketException = new SocketException((int)error);

        var mapped = SocketErrorMapper.Map(socketException, Peer);

        var connection = Assert.IsType<SockitConnectionException>(mapped);
        Assert.Equal(code, connection.Code.Value);
        Assert.Same(socketException, connection.InnerException);
    }

    [Fact]
    public void Timed_out_is_a_timeout_exception()
    {
        var socketException = new SocketException((int)SocketError.TimedOut);

        var mapped = SocketErrorMapper.Map(socketException, Peer);

        var timeout = Assert.IsType<SockitTimeoutException>(mapped);
        Assert.Equal(SockitErrorCode.Timeout, timeout.Code);
        Assert.Same(socketException, timeout.InnerException);
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused)]
    [InlineData(SocketError.HostNotFound)]
    [InlineData(SocketError.TimedOut)]
    [InlineData(SocketError.ConnectionReset)]
    [InlineData(SocketError.AddressAlreadyInUse)]
    [InlineData(SocketError.HostUnreachable)]
    [InlineData(SocketError.MessageSize)]
    public void Messages_name_the_peer(SocketError error)
    {
        var mapped = SocketErrorMapper.Map(new SocketException((int)error), Peer);

        Assert.Contains(Peer, mapped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connection_refused_suggests_checking_the_server()
    {
        var mapped = SocketErrorMapper.Map(new SocketException((int)SocketError.ConnectionRefused), Peer);

        Assert.Contains("is the server running?", mapped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_null_exception()
    {
        Assert.Throws<ArgumentNullException>(() => SocketErrorMapper.Map(null!, Peer));
    }
}
