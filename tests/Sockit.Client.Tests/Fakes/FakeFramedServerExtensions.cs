using System.Net.Sockets;
using Sockit.Protocol.Addressing;

namespace Sockit.Client.Tests.Fakes;

public static class FakeFramedServerExtensions
{
    /// <summary>Connects a client to the fake server and greets it with <paramref name="hello"/>; returns both ends.</summary>
    public static async Task<(SockitClient Client, FakeConnection Server)> ConnectClientAsync(
        this FakeFramedServer server, SockitClientOptions? options = null, string hello = FakeConnection.HelloJson)
    {
        var connecting = SockitClient.ConnectAsync(server.Address, options);
        var connection = await server.AcceptAndGreetAsync(hello);
        return (await connecting.Within(), connection);
    }

    /// <summary>As <see cref="ConnectClientAsync"/> with the protocol 2 hello of <see cref="FakeConnection.HelloV2Json"/>.</summary>
    public static Task<(SockitClient Client, FakeConnection Server)> ConnectV2ClientAsync(
        this FakeFramedServer server, SockitClientOptions? options = null) =>
        server.ConnectClientAsync(options, FakeConnection.HelloV2Json);

    /// <summary>
    /// Connects a protocol 2 client whose stream hands it the server's bytes one at a time, so every frame arrives
    /// split at every possible point.
    /// </summary>
    public static async Task<(SockitClient Client, FakeConnection Server)> ConnectOneByteClientAsync(this FakeFramedServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", server.Port).WaitAsync(TestTimeout.Value);
        var connection = await server.AcceptAndGreetAsync(FakeConnection.HelloV2Json);
        var address = SockitAddress.Parse(server.Address, AddressScheme.Tcp, SockitClient.DefaultPort);
        using var deadline = new CancellationTokenSource(TestTimeout.Value);
        var client = await SockitClient.OpenAsync(
            new OneByteStream(new NetworkStream(socket, ownsSocket: true)), address, server.Address, SockitClientOptions.Default, deadline, default);
        return (client, connection);
    }
}
