using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text.Json.Serialization.Metadata;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>
/// A bare framed connection for tests: sends exactly the bytes a test gives it and reads frames back, so
/// tests can speak correct and incorrect protocol alike.
/// </summary>
public sealed class FrameConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly FrameReader _reader;

    private FrameConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new FrameReader(PipeReader.Create(_stream));
    }

    public Socket Socket => _socket;

    public static async Task<FrameConnection> OpenAsync(SockitAddress address, bool readHello = true)
    {
        Socket socket;
        if (address.Scheme == AddressScheme.Unix)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(address.Path));
        }
        else
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(address.Host, address.Port);
        }

        var connection = new FrameConnection(socket);
        if (readHello)
        {
            var (hello, _) = await connection.ReadAsync(SockitJsonContext.Default.HelloMessage);
            Assert.Equal("hello", hello.Op);
        }

        return connection;
    }

    /// <summary>Opens a TCP connection from the local address <paramref name="localAddress"/> (e.g. another loopback address).</summary>
    public static async Task<FrameConnection> OpenFromAsync(SockitAddress address, string localAddress)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(localAddress), 0));
        await socket.ConnectAsync(address.Host, address.Port);
        var connection = new FrameConnection(socket);
        var (hello, _) = await connection.ReadAsync(SockitJsonContext.Default.HelloMessage);
        Assert.Equal("hello", hello.Op);
        return connection;
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes);

    public Task SendAsync<T>(T header, JsonTypeInfo<T> typeInfo, byte[]? body = null) =>
        SendAsync(FrameWriter.Encode(header, typeInfo, body));

    /// <summary>Completes once the server has sent something, without consuming it.</summary>
    public async Task WaitForDataAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _socket.ReceiveAsync(new byte[1], SocketFlags.Peek, timeout.Token);
    }

    /// <summary>Reads the next frame: its header as <typeparamref name="T"/> and its body.</summary>
    public async Task<(T Header, byte[] Body)> ReadAsync<T>(JsonTypeInfo<T> typeInfo)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var head = await _reader.ReadHeadAsync(timeout.Token) ?? throw new EndOfStreamException("the server closed the connection");
        var header = head.Deserialize(typeInfo);
        var body = await _reader.ReadBodyAsArrayAsync(int.MaxValue, timeout.Token);
        return (header, body);
    }

    public Task<(ReplyStatus Header, byte[] Body)> ReadReplyAsync() => ReadAsync(SockitJsonContext.Default.ReplyStatus);

    /// <summary>Completes when the server closes the connection; fails if it sends another frame first.</summary>
    public async Task AssertClosedByServerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var head = await _reader.ReadHeadAsync(timeout.Token);
        Assert.Null(head);
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
