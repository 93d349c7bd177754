using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;

namespace Sockit.Client.Udp;

/// <summary>
/// Talks to the tutorials' UDP services (upper-case echo, time): one datagram out, one datagram back.
/// </summary>
/// <remarks>
/// The socket is not connected, so anyone can send to it; only a datagram from the server's exact address and
/// port is taken as the reply. Others are ignored, counted in <see cref="IgnoredDatagramCount"/> and reported to
/// <see cref="SockitUdpClientOptions.OnIgnoredDatagram"/>. Requests run one at a time.
/// </remarks>
public sealed class SockitUdpClient : IDisposable
{
    /// <summary>The largest payload one IPv4 UDP datagram can carry.</summary>
    public const int MaxDatagramLength = 65507;

    /// <summary>The port an address without one sends to.</summary>
    public const int DefaultPort = 9000;

    private readonly Socket _socket;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly byte[] _receiveBuffer = new byte[64 * 1024];
    private readonly IPEndPoint _anyEndPoint;
    private readonly string _peer;
    private long _ignored;
    private int _disposed;

    private SockitUdpClient(SockitAddress address, IPEndPoint server, SockitUdpClientOptions options)
    {
        Address = address;
        ServerEndPoint = server;
        Options = options;
        _peer = address.ToString();
        _anyEndPoint = new IPEndPoint(
            server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.Bind(_anyEndPoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>The address the client sends to.</summary>
    public SockitAddress Address { get; }

    /// <summary>The server's resolved address: the only sender whose datagrams count as replies.</summary>
    public IPEndPoint ServerEndPoint { get; }

    /// <summary>The local address the client's socket is bound to.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>The options the client was created with.</summary>
    public SockitUdpClientOptions Options { get; }

    /// <summary>Bytes waiting in the socket's receive queue (lets tests wait for a datagram to land).</summary>
    internal int QueuedBytes => _socket.Available;

    /// <summary>How many datagrams from other senders have been ignored so far.</summary>
    public long IgnoredDatagramCount => Interlocked.Read(ref _ignored);

    /// <summary>
    /// Creates a client for <paramref name="address"/> (<c>udp://host:port</c>, or a bare <c>host:port</c>; the
    /// port defaults to <see cref="DefaultPort"/>). A host name is resolved once, preferring IPv4, because the
    /// tutorials' UDP services listen on IPv4.
    /// </summary>
    /// <exception cref="SockitException">
    /// <see cref="SockitErrorCode.InvalidAddress"/> for an address that is not UDP;
    /// <see cref="SockitErrorCode.HostNotFound"/> when the host cannot be resolved.
    /// </exception>
    public static async Task<SockitUdpClient> CreateAsync(
        string address, SockitUdpClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var parsed = SockitAddress.Parse(address, AddressScheme.Udp, DefaultPort);
        return await CreateAsync(parsed, options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="CreateAsync(string, SockitUdpClientOptions?, CancellationToken)"/>
    public static async Task<SockitUdpClient> CreateAsync(
        SockitAddress address, SockitUdpClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SockitUdpClientOptions.Default;
        SockitClientOptions.ValidateTimeout(options.ReplyTimeout, nameof(options.ReplyTimeout));
        if (address.Scheme != AddressScheme.Udp)
        {
            throw new SockitException(
                SockitErrorCode.InvalidAddress, $"{address} is not a UDP address (write udp://host:port)");
        }

        if (address.Port == 0)
        {
            throw new SockitException(SockitErrorCode.InvalidAddress, $"{address} names no port to send to");
        }

        var candidates = await SockitConnector.ResolveAsync(address.Host, address.ToString(), cancellationToken)
            .ConfigureAwait(false);
        var chosen = Array.Find(candidates, a => a.AddressFamily == AddressFamily.InterNetwork) ?? candidates[0];
        try
        {
            return new SockitUdpClient(address, new IPEndPoint(chosen, address.Port), options);
        }
        catch (SocketException ex)
        {
            throw SocketErrorMapper.Map(ex, address.ToString());
        }
    }

    /// <summary>
    /// Sends <paramref name="datagram"/> to the server and returns the first datagram that comes back from the
    /// server's address.
    /// </summary>
    /// <exception cref="SockitException">
    /// <see cref="SockitErrorCode.InvalidArgument"/> when the datagram exceeds <see cref="MaxDatagramLength"/>.
    /// </exception>
    /// <exception cref="SockitTimeoutException">No reply within <see cref="SockitUdpClientOptions.ReplyTimeout"/>.</exception>
    public async Task<byte[]> RequestAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
    {
        if (datagram.Length > MaxDatagramLength)
        {
            throw new SockitException(
                SockitErrorCode.InvalidArgument,
                $"a datagram of {datagram.Length} bytes is larger than UDP allows ({MaxDatagramLength} bytes)");
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            DiscardQueuedDatagrams();
            return await ExchangeAsync(datagram, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Sends <paramref name="text"/> as UTF-8 and returns the reply as text.</summary>
    /// <inheritdoc cref="RequestAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
    public async Task<string> RequestAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reply = await RequestAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(reply);
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _socket.Dispose();
        }
    }

    private async Task<byte[]> ExchangeAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        var timeout = Options.ReplyTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            deadline.CancelAfter(timeout);
        }

        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, ServerEndPoint, deadline.Token).ConfigureAwait(false);
            while (true)
            {
                var received = await _socket.ReceiveFromAsync(_receiveBuffer, SocketFlags.None, _anyEndPoint, deadline.Token)
                    .ConfigureAwait(false);
                var sender = (IPEndPoint)received.RemoteEndPoint;
                if (sender.Equals(ServerEndPoint))
                {
                    return _receiveBuffer.AsSpan(0, received.ReceivedBytes).ToArray();
                }

                Interlocked.Increment(ref _ignored);
                Options.OnIgnoredDatagram?.Invoke(new IgnoredDatagram(sender, received.ReceivedBytes));
            }
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SockitTimeoutException(
                $"no reply from {_peer} within {AddressText.Seconds(timeout)} s: is the server running?",
                SockitErrorCode.Timeout,
                ex);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
        {
            // Where the OS passes on ICMP "port unreachable" (Windows does), it surfaces as a reset.
            throw new SockitConnectionException(
                SockitErrorCode.ConnectionRefused, $"{_peer} refused the datagram: is the server running?", ex);
        }
        catch (SocketException ex)
        {
            throw SocketErrorMapper.Map(ex, _peer);
        }
    }

    /// <summary>
    /// Drops datagrams that arrived between requests: a late reply to a request that timed out would otherwise
    /// be taken for the answer to this one.
    /// </summary>
    private void DiscardQueuedDatagrams()
    {
        EndPoint sender = _anyEndPoint;
        try
        {
            while (_socket.Available > 0)
            {
                _socket.ReceiveFrom(_receiveBuffer, ref sender);
            }
        }
        catch (SocketException)
        {
            // A stale ICMP error (reported as a reset on Windows) belongs to an earlier request; this one starts clean.
        }
    }
}
