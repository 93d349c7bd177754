using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sockit.Cli.Tests.Fakes;

/// <summary>A UDP service on 127.0.0.1 (ephemeral port): answers each datagram with <c>respond</c>'s text, or not at all for null.</summary>
public sealed class FakeUdpServer : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Func<string, string?> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeUdpServer(Func<string, string?> respond)
    {
        _respond = respond;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = ServeAsync();
    }

    /// <summary>The tutorial's UDP echo: upper-cases every datagram.</summary>
    public static FakeUdpServer UpperEcho() => new(text => text.ToUpperInvariant());

    public string Address => $"udp://127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}";

    public ConcurrentQueue<string> Received { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        var buffer = new byte[65536];
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, received.ReceivedBytes);
            Received.Enqueue(text);
            if (_respond(text) is { } reply)
            {
                await _socket.SendToAsync(Encoding.UTF8.GetBytes(reply), received.RemoteEndPoint);
            }
        }
    }
}
