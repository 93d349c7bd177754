using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using Sockit.Server.Hosting.Transport;

namespace Sockit.Server.Tests.Hosting.Transport;

public sealed class SocketListenerTests : IDisposable
{
    private readonly Socket _listening = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly AcceptBackoff _fast = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4));

    public SocketListenerTests()
    {
        _listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    [Fact]
    public async Task Running_out_of_descriptors_makes_the_loop_wait_and_then_accept_instead_of_spinning_or_giving_up()
    {
        int attempts = 0;
        using var accepted = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var listener = new SocketListener(
            _listening,
            _ => ++attempts <= 3 ? throw new SocketException((int)SocketError.TooManyOpenSockets) : ValueTask.FromResult(accepted),
            socket => new DefaultConnectionContext("c1"),
            _fast,
            TimeProvider.System,
            NullLogger.Instance);

        var connection = await listener.AcceptAsync();

        Assert.NotNull(connection);
        Assert.Equal(4, attempts); // one try per wait, not a busy loop
        Assert.Equal(3, listener.Backoffs);
    }

    [Fact]
    public async Task An_accepted_tcp_connection_probes_a_silent_client_after_a_minute()
    {
        _listening.Listen();
        Socket? accepted = null;
        var listener = new SocketListener(
            _listening,
            token => _listening.AcceptAsync(token),
            socket =>
            {
                accepted = socket;
                return new DefaultConnectionContext("c1");
            },
            _fast,
            TimeProvider.System,
            NullLogger.Instance);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(_listening.LocalEndPoint!);

        await listener.AcceptAsync();

        using var socket = Assert.IsType<Socket>(accepted);
        Assert.NotEqual(0, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        Assert.Equal(TcpKeepAlive.IdleSeconds, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!);
        Assert.Equal(TcpKeepAlive.Probes, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);
    }

    [Fact]
    public async Task A_client_that_reset_in_the_backlog_is_skipped_without_waiting()
    {
        int attempts = 0;
        using var accepted = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var listener = new SocketListener(
            _listening,
            _ => ++attempts == 1 ? throw new SocketException((int)SocketError.ConnectionReset) : ValueTask.FromResult(accepted),
            socket => new DefaultConnectionContext("c1"),
            _fast,
            TimeProvider.System,
            NullLogger.Instance);

        Assert.NotNull(await listener.AcceptAsync());
        Assert.Equal(0, listener.Backoffs);
    }

    [Fact]
    public async Task Unbinding_ends_a_wait_for_descriptors()
    {
        var listener = new SocketListener(
            _listening,
            _ => throw new SocketException((int)SocketError.TooManyOpenSockets),
            socket => new DefaultConnectionContext("c1"),
            new AcceptBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)),
            TimeProvider.System,
            NullLogger.Instance);

        var accepting = listener.AcceptAsync().AsTask();
        await listener.UnbindAsync();

        Assert.Null(await accepting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void The_wait_doubles_up_to_the_longest()
    {
        var backoff = new AcceptBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50));

        var waits = new List<TimeSpan>();
        var wait = TimeSpan.Zero;
        for (int i = 0; i < 5; i++)
        {
            wait = backoff.Next(wait);
            waits.Add(wait);
        }

        Assert.Equal([10, 20, 40, 50, 50], waits.Select(w => w.TotalMilliseconds));
    }

    public void Dispose() => _listening.Dispose();
}
