using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Sockit.Protocol.Addressing;

namespace Sockit.IntegrationTests.Tutorials;

/// <summary>
/// The tutorials' command client, in C# for the tests that need the raw bytes: send a command, read the 4-byte length,
/// the JSON header and <c>data_size</c> bytes, reading exactly each count.
/// </summary>
public sealed class LegacyExecClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    private LegacyExecClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<LegacyExecClient> ConnectAsync(SockitAddress address)
    {
        var socket = address.Scheme == AddressScheme.Unix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Scheme == AddressScheme.Unix)
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(address.Path));
            }
            else
            {
                await socket.ConnectAsync(address.Host, address.Port);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new LegacyExecClient(socket);
    }

    /// <summary>Runs <paramref name="command"/>; the header's <c>data_size</c> and the body.</summary>
    public Task<(long DataSize, byte[] Body)> RunAsync(string command) => RunAsync(Encoding.UTF8.GetBytes(command));

    /// <summary>Runs a command given as raw bytes.</summary>
    public async Task<(long DataSize, byte[] Body)> RunAsync(byte[] command)
    {
        await SendAsync(command);
        var length = await ReceiveAsync(4);
        var header = await ReceiveAsync(BinaryPrimitives.ReadInt32LittleEndian(length));
        using var json = JsonDocument.Parse(header);
        long dataSize = json.RootElement.GetProperty("data_size").GetInt64();
        return (dataSize, await ReceiveAsync(checked((int)dataSize)));
    }

    /// <summary>Runs <paramref name="command"/> and decodes its output as UTF-8.</summary>
    public async Task<string> RunTextAsync(string command) => Encoding.UTF8.GetString((await RunAsync(command)).Body);

    public async Task SendAsync(byte[] data) => await _stream.WriteAsync(data, _timeout.Token);

    public async Task<byte[]> ReceiveAsync(int count)
    {
        var buffer = new byte[count];
        await _stream.ReadExactlyAsync(buffer, _timeout.Token);
        return buffer;
    }

    /// <summary>Whether the server closed the connection: the next read is the end of the stream (or a reset).</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        try
        {
            return await _stream.ReadAsync(new byte[1], _timeout.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _timeout.Dispose();
    }
}
