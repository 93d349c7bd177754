using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Sockit.Server.Hosting.Transport;

namespace Sockit.Server.Tests.Hosting.Transport;

/// <summary>A client socket and the server's <see cref="SocketConnection"/> for it, over loopback or a Unix socket.</summary>
internal sealed class LoopbackConnection : IAsyncDisposable
{
    private LoopbackConnection(BufferPoolGeneration generation, Socket client, SocketConnection server)
    {
        Generation = generation;
        Client = client;
        Server = server;
    }

    public BufferPoolGeneration Generation { get; }

    public Socket Client { get; }

    public SocketConnection Server { get; }

    public static async Task<LoopbackConnection> OpenAsync(EndPoint? endpoint = null, BufferPoolGeneration? generation = null)
    {
        endpoint ??= new IPEndPoint(IPAddress.Loopback, 0);
        var protocol = endpoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp;
        using var listening = new Socket(endpoint.AddressFamily, SocketType.Stream, protocol);
        listening.Bind(endpoint);
        listening.Listen(1);
        var client = new Socket(endpoint.AddressFamily, SocketType.Stream, protocol);
        var connecting = client.ConnectAsync(listening.LocalEndPoint!);
        var accepted = await listening.AcceptAsync();
        await connecting;
        generation ??= new BufferPoolGeneration(NullLogger.Instance);
        return new LoopbackConnection(generation, client, (SocketConnection)generation.Create(accepted));
    }

    /// <summary>Reads the server's input to its end, giving back what it read.</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        using var all = new MemoryStream();
        while (true)
        {
            var result = await Server.Transport.Input.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                all.Write(segment.Span);
            }

            Server.Transport.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return all.ToArray();
            }
        }
    }

    /// <summary>Reads from the client until the server's FIN, giving back what came.</summary>
    public async Task<long> ClientReadToEndAsync()
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await Client.ReceiveAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
