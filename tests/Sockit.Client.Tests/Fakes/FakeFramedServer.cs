using System.Net;
using System.Net.Sockets;

namespace Sockit.Client.Tests.Fakes;

/// <summary>A listener on 127.0.0.1 (ephemeral port) whose connections the test drives frame by frame.</summary>
public sealed class FakeFramedServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public FakeFramedServer()
    {
        _listener.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Address => $"127.0.0.1:{Port}";

    public async Task<FakeConnection> AcceptAsync()
    {
        var socket = await _listener.AcceptSocketAsync().WaitAsync(TestTimeout.Value);
        return new FakeConnection(socket);
    }

    /// <summary>Accepts one connection and greets it with <paramref name="hello"/> (protocol 1 unless said otherwise).</summary>
    public async Task<FakeConnection> AcceptAndGreetAsync(string hello = FakeConnection.HelloJson)
    {
        var connection = await AcceptAsync();
        await connection.SendHelloAsync(hello);
        return connection;
    }

    public void Dispose() => _listener.Stop();
}
