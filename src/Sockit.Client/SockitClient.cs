using System.IO.Pipelines;
using Sockit.Client.Connection;
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
/// Every method is safe to call from many tasks at once. Each request gets the next <c>id</c>; one background task
/// reads the connection and hands each reply to the request with its <c>id</c>, each <c>part</c> to its streamed call
/// and each event to the subscriptions of its topic, while writes go out one frame at a time. A server with the
/// <c>concurrent</c> feature runs up to its hello's <c>max_in_flight</c> requests at once; more wait here for a slot. A
/// server without it (protocol 1) gets one request at a time.
/// </para>
/// <para>
/// The body of a final reply is read from the connection itself, not buffered: until the caller has read it to its
/// end or disposed the <see cref="SockitResponse{TReply}"/>, nothing else is read from the connection (other replies,
/// parts and events wait behind it). Parts of streamed calls and events are copied into bounded per-call and
/// per-subscription queues instead, so a slow consumer of those holds up only itself.
/// </para>
/// <para>
/// A failed reply from the server (<see cref="SockitRemoteException"/>) that carries the request's <c>id</c> leaves the
/// connection usable; one without an <c>id</c> is the server's last word before it closes the connection (such as
/// <c>login_timeout</c> or <c>idle_timeout</c>), so it closes the client's side too. A request that times out or is
/// cancelled is cancelled on the server (a <c>cancel</c> frame) when the server has the <c>cancel</c> feature, and
/// otherwise closes the connection. Anything that leaves the client and the server out of step (a broken or malformed
/// frame, a frame written in part, a reply body left unread) closes the connection: every request in flight and every
/// subscription fails with the <see cref="SockitException"/> that says why, and later requests fail with
/// <see cref="SockitErrorCode.ConnectionClosed"/>.
/// </para>
/// </remarks>
public sealed partial class SockitClient : IAsyncDisposable
{
    /// <summary>The port a TCP address without one connects to.</summary>
    public const int DefaultPort = 9000;

    // Room for a whole 64 KiB part and its header in one read; a read is not started for less than a quarter of it.
    private const int InputBufferLength = 128 * 1024;
    private const int InputMinimumRead = 32 * 1024;

    // Replies carry these ops; the reader hands back these strings instead of allocating one per frame.
    private static readonly FrameNames ReplyNames = new(
        [Ops.Hello, Ops.Echo, Ops.Time, Ops.Auth, Ops.WhoAmI, Ops.Subscribe, Ops.Unsubscribe]);

    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly FrameReader _reader;
    private readonly HashSet<string> _features;
    private int _disposed;

    private SockitClient(Stream stream, PipeReader input, HelloMessage hello, SockitAddress address, string peer, SockitClientOptions options)
    {
        Peer = peer;
        Address = address;
        Options = options;
        Hello = hello;
        _stream = stream;
        _input = input;
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        _reader = new FrameReader(_input, new FrameReaderOptions
        {
            Limits = options.FrameLimits,
            Names = ReplyNames,

            // A frame that has begun must go on arriving; between frames the server may be silent as long as it likes.
            HeaderTimeout = options.ReplyTimeout,
        });
        _features = new HashSet<string>(hello.Features ?? [], StringComparer.Ordinal);
        int inFlight = _features.Contains(ProtocolFeatures.Concurrent) ? Math.Max(1, hello.MaxInFlight) : 1;
        _slots = new SemaphoreSlim(inFlight, inFlight);
    }

    /// <summary>The address this client connected to.</summary>
    public SockitAddress Address { get; }

    /// <summary>The options the client was created with.</summary>
    public SockitClientOptions Options { get; }

    /// <summary>The server's greeting: its name, version, protocol, features and the operations it offers.</summary>
    public HelloMessage Hello { get; }

    /// <summary>
    /// Whether the connection can still carry requests: not disposed, and not closed after a failure. The background
    /// reader notices at once when the server closes its end.
    /// </summary>
    public bool IsConnected => Volatile.Read(ref _disposed) == 0 && Volatile.Read(ref _fault) is null;

    /// <summary>The peer as it appears in messages.</summary>
    internal string Peer { get; }

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
    /// (e.g. <see cref="SockitErrorCode.ServerBusy"/>); a <see cref="SockitProtocolException"/> when the first frame is
    /// not a hello the client can use (not a hello, a field of the wrong type or null, a nonce that is not base64); for
    /// <c>tls://</c>, a <see cref="SockitConnectionException"/> with <see cref="SockitErrorCode.TlsFailed"/>, <see cref="SockitErrorCode.CertificateUntrusted"/>,
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

        Stream stream;
        try
        {
            stream = await SockitConnector.OpenAsync(address, peer, options, deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw SockitConnector.TimedOut(peer, options, ex);
        }

        return await OpenAsync(stream, address, peer, options, deadline, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the connection. Requests in flight and subscriptions fail with <see cref="SockitErrorCode.ConnectionClosed"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Fault(new SockitConnectionException(
            SockitErrorCode.ConnectionClosed, $"the connection to {Peer} was closed by disposing the client"));
        await _readLoop.ConfigureAwait(false);
    }

    /// <summary>
    /// Speaks the framed protocol over a stream that is already connected: reads the hello, starts the background
    /// reader and logs in if the options say so. The client owns the stream from here on, even when this fails.
    /// </summary>
    internal static async Task<SockitClient> OpenAsync(
        Stream stream, SockitAddress address, string peer, SockitClientOptions options, CancellationTokenSource deadline,
        CancellationToken cancellationToken)
    {
        // A download's 64 KiB parts would otherwise come in reads of 4 KiB, the default: a system call each.
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: InputBufferLength, minimumReadSize: InputMinimumRead, leaveOpen: true));
        SockitClient? client = null;
        try
        {
            var (status, hello) = await HelloReader.ReadAsync(input, options.FrameLimits, peer, deadline.Token).ConfigureAwait(false);
            if (!status.Ok)
            {
                // A server at its connection limit answers with a failed frame instead of a hello, then closes.
                throw RemoteError(status, null);
            }

            if (status.Op != Ops.Hello || hello is null)
            {
                throw new SockitProtocolException(
                    SockitErrorCode.ProtocolError, $"{peer} sent '{status.Op}' where a hello was expected");
            }

            client = new SockitClient(stream, input, hello, address, peer, options);
            client.StartReading();
            if (options.Credentials is { } credentials)
            {
                await client.LoginAsync(credentials, deadline.Token).ConfigureAwait(false);
            }

            return client;
        }
        catch (Exception ex)
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await input.CompleteAsync().ConfigureAwait(false);
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            if (ex is OperationCanceledException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new SockitTimeoutException(
                    client is null
                        ? $"{peer} accepted the connection but sent no hello within {AddressText.Seconds(options.ConnectTimeout)} s: is it a sockit server?"
                        : $"{peer} did not complete the login within {AddressText.Seconds(options.ConnectTimeout)} s",
                    SockitErrorCode.Timeout,
                    ex);
            }

            var translated = TranslateIo(ex, peer);
            if (translated is not null && !ReferenceEquals(translated, ex))
            {
                throw translated;
            }

            throw;
        }
    }

    /// <summary>Whether the server's hello lists <paramref name="feature"/> (one of protocol 2's <c>features</c>).</summary>
    internal bool HasFeature(string feature) => _features.Contains(feature);

    /// <summary>Refuses <paramref name="what"/> against a server without <paramref name="feature"/>.</summary>
    /// <exception cref="NotSupportedException">The server does not have the feature.</exception>
    internal void RequireFeature(string feature, string what)
    {
        if (!HasFeature(feature))
        {
            throw new NotSupportedException(
                $"{Peer} speaks protocol {Hello.Protocol} without the '{feature}' feature, which {what} needs");
        }
    }
}
