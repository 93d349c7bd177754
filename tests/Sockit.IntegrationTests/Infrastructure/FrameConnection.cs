using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization.Metadata;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Auth;
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
    private readonly Stream _stream;
    private readonly FrameReader _reader;

    private FrameConnection(Socket socket, Stream? stream = null)
    {
        _socket = socket;
        _stream = stream ?? new NetworkStream(socket, ownsSocket: false);
        _reader = new FrameReader(PipeReader.Create(_stream));
    }

    public Socket Socket => _socket;

    /// <summary>Connects to <paramref name="address"/>, from <paramref name="localAddress"/> when given (e.g. 127.0.0.2, another loopback address on Linux).</summary>
    public static async Task<FrameConnection> OpenAsync(SockitAddress address, bool readHello = true, IPAddress? localAddress = null)
    {
        Socket socket;
        if (address.Scheme == AddressScheme.Unix)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(address.Path));
        }
        else if (localAddress is not null)
        {
            socket = new Socket(localAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(localAddress, 0));
            await socket.ConnectAsync(address.Host, address.Port);
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

    /// <summary>
    /// Connects to a <c>tls://</c> <paramref name="address"/> that must show <paramref name="expected"/>, and reads its
    /// hello. Disposing it closes the socket without TLS's close_notify, as a killed client does.
    /// </summary>
    public static async Task<FrameConnection> OpenTlsAsync(SockitAddress address, System.Security.Cryptography.X509Certificates.X509Certificate2 expected)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(address.Host, address.Port);
        var tls = new System.Net.Security.SslStream(
            new NetworkStream(socket, ownsSocket: false),
            leaveInnerStreamOpen: false,
            (_, shown, _, _) => shown is not null && shown.GetCertHashString() == expected.GetCertHashString());
        await tls.AuthenticateAsClientAsync("localhost");
        var connection = new FrameConnection(socket, tls);
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
    public Task<(T Header, byte[] Body)> ReadAsync<T>(JsonTypeInfo<T> typeInfo) => ReadAsync(head => head.Deserialize(typeInfo));

    public Task<(ReplyStatus Header, byte[] Body)> ReadReplyAsync() => ReadAsync(SockitJsonContext.Default.ReplyStatus);

    /// <summary>Reads the next reply's status and, from the same header, the operation's own reply type (meaningful when ok).</summary>
    public async Task<(ReplyStatus Status, T Reply)> ReadReplyAsync<T>(JsonTypeInfo<T> typeInfo)
    {
        var (header, _) = await ReadAsync(head => (head.Deserialize(SockitJsonContext.Default.ReplyStatus), head.Deserialize(typeInfo)));
        return header;
    }

    /// <summary>Logs in with a password by SCRAM-SHA-256, both steps; returns the status of the last reply.</summary>
    public async Task<ReplyStatus> LoginWithPasswordAsync(string user, string password)
    {
        var scram = new ScramClient(user, password);
        await SendAsync(
            new AuthRequest { Id = 1, Mechanism = AuthMechanisms.ScramSha256, Sasl = scram.CreateClientFirst() },
            SockitJsonContext.Default.AuthRequest);
        var (firstStatus, first) = await ReadReplyAsync(SockitJsonContext.Default.AuthReply);
        if (!firstStatus.Ok)
        {
            return firstStatus;
        }

        await SendAsync(
            new AuthRequest { Id = 2, Mechanism = AuthMechanisms.ScramSha256, Sasl = scram.HandleServerFirst(first.Sasl!) },
            SockitJsonContext.Default.AuthRequest);
        var (finalStatus, final) = await ReadReplyAsync(SockitJsonContext.Default.AuthReply);
        if (finalStatus.Ok)
        {
            scram.VerifyServerFinal(final.Sasl!);
        }

        return finalStatus;
    }

    private async Task<(T Header, byte[] Body)> ReadAsync<T>(Func<FrameHead, T> deserialize)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var head = await _reader.ReadHeadAsync(timeout.Token) ?? throw new EndOfStreamException("the server closed the connection");
        var header = deserialize(head);
        var body = await _reader.ReadBodyAsArrayAsync(int.MaxValue, timeout.Token);
        return (header, body);
    }

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
