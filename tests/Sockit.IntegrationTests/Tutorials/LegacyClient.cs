using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sockit.Protocol.Addressing;

namespace Sockit.IntegrationTests.Tutorials;

/// <summary>
/// The tutorials' clients, in C# for the tests that need the raw bytes: send a command or an upload, read the 4-byte
/// length, the JSON header and <c>data_size</c> bytes, reading exactly each count.
/// </summary>
public sealed class LegacyClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    private LegacyClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<LegacyClient> ConnectAsync(SockitAddress address)
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

        return new LegacyClient(socket);
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

    /// <summary>
    /// Sends what the tutorials' upload client sends: <c>struct.pack('i', len(head))</c>, the JSON header and the file.
    /// The header's size and MD5 are the file's unless given; <paramref name="body"/> replaces the bytes sent after it.
    /// </summary>
    public Task UploadAsync(string fileName, byte[] file, long? fileSize = null, string? md5 = null, byte[]? body = null) =>
        SendAsync([.. UploadHeader(fileName, fileSize ?? file.Length, md5 ?? Md5Of(file)), .. body ?? file]);

    /// <summary>The length and JSON header of an upload, as the tutorial's client builds them with <c>json.dumps</c>.</summary>
    public static byte[] UploadHeader(string fileName, long fileSize, string md5)
    {
        var json = Encoding.UTF8.GetBytes(
            $"{{\"file_size\": {fileSize.ToString(CultureInfo.InvariantCulture)}, \"file_name\": {JsonSerializer.Serialize(fileName)}, \"md5\": \"{md5}\"}}");
        return [.. BitConverter.GetBytes(json.Length), .. json];
    }

    /// <summary>The MD5 of <paramref name="file"/> in lower-case hex, as <c>hashlib.md5(data).hexdigest()</c> gives it.</summary>
    public static string Md5Of(byte[] file) => Convert.ToHexStringLower(CryptographicOperations.HashData(HashAlgorithmName.MD5, file));

    /// <summary>Closes the sending side, as a client does that has nothing more to send; the server still answers.</summary>
    public void EndSending() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Closes the connection with a reset (no FIN), as a kernel does for a socket closed with bytes unread.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    /// <summary>The body of the server's next reply as text, or <see langword="null"/> when it closes without one.</summary>
    public async Task<string?> ReadReplyOrEndAsync()
    {
        var length = new byte[4];
        if (await _stream.ReadAtLeastAsync(length, 4, throwOnEndOfStream: false, _timeout.Token) == 0)
        {
            return null;
        }

        var header = await ReceiveAsync(BinaryPrimitives.ReadInt32LittleEndian(length));
        using var json = JsonDocument.Parse(header);
        return Encoding.UTF8.GetString(await ReceiveAsync(checked((int)json.RootElement.GetProperty("data_size").GetInt64())));
    }

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
