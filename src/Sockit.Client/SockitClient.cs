using System.Buffers;
using System.IO.Pipelines;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.Client;

/// <summary>
/// A connection to a Sockit server speaking the framed protocol over TCP (optionally inside TLS) or a Unix domain socket.
/// </summary>
/// <remarks>
/// <para>
/// Requests run one at a time: a second caller waits until the first one's reply has been read. Each request gets
/// the next <c>id</c>, and every reply is checked to carry it.
/// </para>
/// <para>
/// A failed reply from the server (<see cref="SockitRemoteException"/>) that carries the request's <c>id</c> leaves the
/// connection usable; one without an <c>id</c> is the server's last word before it closes the connection (such as
/// <c>login_timeout</c> or <c>idle_timeout</c>), so it closes the client's side too. Anything that
/// can leave the client and the server out of step — a timeout, a cancellation, a broken or malformed reply, a
/// reply body left unread — closes the connection, and later requests fail with
/// <see cref="SockitErrorCode.ConnectionClosed"/>.
/// </para>
/// </remarks>
public sealed partial class SockitClient : IAsyncDisposable
{
    /// <summary>The port a TCP address without one connects to.</summary>
    public const int DefaultPort = 9000;

    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly FrameReader _reader;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _headerBuffer = new(256);
    private readonly string _peer;
    private long _lastId;
    private SockitException? _fault;
    private bool _pipesCompleted;
    private int _disposed;

    private SockitClient(Stream stream, SockitAddress address, string peer, SockitClientOptions options)
    {
        _peer = peer;
        Address = address;
        Options = options;
        _stream = stream;
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        _reader = new FrameReader(_input, new FrameReaderOptions { Limits = options.FrameLimits });
    }

    /// <summary>The address this client connected to.</summary>
    public SockitAddress Address { get; }

    /// <summary>The options the client was created with.</summary>
    public SockitClientOptions Options { get; }

    /// <summary>The server's greeting: its name, version, protocol and the operations it offers.</summary>
    public HelloMessage Hello { get; private set; } = new();

    /// <summary>
    /// Whether the connection can still carry requests: not disposed, and not closed after a failure that could
    /// have put it out of step with the server. A server that closed its end is only noticed by the next request.
    /// </summary>
    public bool IsConnected => Volatile.Read(ref _disposed) == 0 && Volatile.Read(ref _fault) is null;

    /// <summary>
    /// Connects to <paramref name="address"/> (<c>tcp://host:port</c>, <c>host:port</c>, <c>[::1]:port</c>,
    /// <c>tls://host:port</c> or <c>unix:/path</c>; the port defaults to <see cref="DefaultPort"/>) and reads the
    /// server's hello. A <c>tls://</c> server must pass <see cref="SockitClientOptions.Tls"/>; the handshake counts
    /// against the connect timeout.
    /// </summary>
    /// <exception cref="SockitException">
    /// <see cref="SockitErrorCode.InvalidAddress"/> for an address that cannot be parsed or is not TCP or Unix;
    /// a <see cref="SockitConnectionException"/> when the connection fails (e.g.
    /// <see cref="SockitErrorCode.ConnectionRefused"/>, <see cref="SockitErrorCode.HostNotFound"/>);
    /// a <see cref="SockitTimeoutException"/> when <see cref="SockitClientOptions.ConnectTimeout"/> passes;
    /// a <see cref="SockitRemoteException"/> when the server refuses the connection with a failed first frame
    /// (e.g. <see cref="SockitErrorCode.ServerBusy"/>); for <c>tls://</c>, a <see cref="SockitConnectionException"/>
    /// with <see cref="SockitErrorCode.TlsFailed"/>, <see cref="SockitErrorCode.CertificateUntrusted"/>,
    /// <see cref="SockitErrorCode.CertificateChanged"/> or <see cref="SockitErrorCode.CertificateExpired"/>.
    /// </exception>
    public static async Task<SockitClient> ConnectAsync(
        string address, SockitClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var parsed = SockitAddress.Parse(address, AddressScheme.Tcp, DefaultPort);
        return await ConnectAsync(parsed, options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="ConnectAsync(string, SockitClientOptions?, CancellationToken)"/>
    public static async Task<SockitClient> ConnectAsync(
        SockitAddress address, SockitClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SockitClientOptions.Default;
        options.Validate();
        SockitConnector.Validate(address);
        string peer = AddressText.Display(address);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.ConnectTimeout != Timeout.InfiniteTimeSpan)
        {
            deadline.CancelAfter(options.ConnectTimeout);
        }

        Stream? stream = null;
        SockitClient? client = null;
        try
        {
            stream = await SockitConnector.OpenAsync(address, peer, options, deadline).ConfigureAwait(false);
            client = new SockitClient(stream, address, peer, options);
            client.Hello = await client.ReadHelloAsync(deadline.Token).ConfigureAwait(false);
            if (options.Credentials is { } credentials)
            {
                await client.LoginAsync(credentials, deadline.Token).ConfigureAwait(false);
            }

            return client;
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await DisposeFailedAsync(client, stream).ConfigureAwait(false);
            throw client is null
                ? SockitConnector.TimedOut(peer, options, ex)
                : new SockitTimeoutException(
                    $"{peer} accepted the connection but sent no hello within {AddressText.Seconds(options.ConnectTimeout)} s: is it a sockit server?",
                    SockitErrorCode.Timeout,
                    ex);
        }
        catch (Exception ex)
        {
            var translated = client?.Translate(ex);
            await DisposeFailedAsync(client, stream).ConfigureAwait(false);
            if (translated is not null && !ReferenceEquals(translated, ex))
            {
                throw translated;
            }

            throw;
        }
    }

    /// <summary>
    /// Closes the connection. A request still in flight fails with <see cref="SockitErrorCode.ConnectionClosed"/>.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        // An exchange in flight owns the pipes; closing the socket aborts it and it cleans up on its way out.
        if (_lock.Wait(0))
        {
            CompletePipes();
            _stream.Dispose();
            _lock.Release();
        }
        else
        {
            _stream.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static async ValueTask DisposeFailedAsync(SockitClient? client, Stream? stream)
    {
        if (client is not null)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
        else if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void CompletePipes()
    {
        if (_pipesCompleted)
        {
            return;
        }

        _pipesCompleted = true;
        _reader.Dispose();
        _input.Complete();

        // With an exception the writer drops anything unflushed instead of writing it to a closed socket.
        _output.Complete(_fault);
    }
}
