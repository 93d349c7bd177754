using System.Net;
using System.Net.Sockets;
using Sockit.Client.Tls;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;

namespace Sockit.Client;

/// <summary>
/// Opens a connected byte stream to a server: TCP (trying each address a name resolves to), a Unix socket, or TLS
/// with <see cref="SockitClientOptions.Tls"/>'s trust rules. It reads and writes nothing of its own, so it serves the
/// framed protocol (<see cref="SockitClient"/> builds on it) as well as raw services such as the tutorials' upper-echo,
/// a netcat-style session or any other protocol.
/// </summary>
public static partial class SockitConnector
{
    /// <summary>Seconds of silence on a TCP connection before the first keep-alive probe.</summary>
    internal const int KeepAliveIdleSeconds = 60;

    /// <summary>Seconds between unanswered keep-alive probes.</summary>
    internal const int KeepAliveIntervalSeconds = 10;

    /// <summary>Unanswered probes after which the connection counts as lost.</summary>
    internal const int KeepAliveProbes = 5;

    /// <summary>Connects to <paramref name="address"/> (as for <see cref="SockitClient.ConnectAsync(string, SockitClientOptions?, CancellationToken)"/>).</summary>
    /// <returns>The connected stream; disposing it closes the connection.</returns>
    /// <exception cref="SockitException">
    /// <see cref="SockitErrorCode.InvalidAddress"/> for an address that cannot be parsed or is UDP; a
    /// <see cref="SockitConnectionException"/> when the connection fails (refused, host not found, TLS refused); a
    /// <see cref="SockitTimeoutException"/> when <see cref="SockitClientOptions.ConnectTimeout"/> passes.
    /// </exception>
    public static Task<Stream> ConnectAsync(string address, SockitClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        return ConnectAsync(SockitAddress.Parse(address, AddressScheme.Tcp, SockitClient.DefaultPort), options, cancellationToken);
    }

    /// <inheritdoc cref="ConnectAsync(string, SockitClientOptions?, CancellationToken)"/>
    public static async Task<Stream> ConnectAsync(SockitAddress address, SockitClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SockitClientOptions.Default;
        options.Validate();
        Validate(address);
        string peer = AddressText.Display(address);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.ConnectTimeout != Timeout.InfiniteTimeSpan)
        {
            deadline.CancelAfter(options.ConnectTimeout);
        }

        try
        {
            return await OpenAsync(address, peer, options, deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(peer, options, ex);
        }
    }

    /// <summary>
    /// Opens the stream within <paramref name="deadline"/>, which the caller owns and may go on using (the TLS
    /// trust question pauses it).
    /// </summary>
    internal static async Task<Stream> OpenAsync(SockitAddress address, string peer, SockitClientOptions options, CancellationTokenSource deadline)
    {
        var socket = await OpenSocketAsync(address, peer, deadline.Token).ConfigureAwait(false);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (address.Scheme == AddressScheme.Tls)
        {
            // The TLS stream owns the network stream, and disposes it when the handshake fails.
            stream = await TlsConnector.AuthenticateAsync(stream, address, peer, options, deadline).ConfigureAwait(false);
        }

        return stream;
    }

    /// <summary>The failure for a connect that did not finish within <see cref="SockitClientOptions.ConnectTimeout"/>.</summary>
    internal static SockitTimeoutException TimedOut(string peer, SockitClientOptions options, Exception inner) =>
        new($"could not connect to {peer} within {AddressText.Seconds(options.ConnectTimeout)} s", SockitErrorCode.Timeout, inner);

    /// <summary>Refuses addresses no stream can be opened to.</summary>
    internal static void Validate(SockitAddress address)
    {
        switch (address.Scheme)
        {
            case AddressScheme.Udp:
                throw new SockitException(
                    SockitErrorCode.InvalidAddress,
                    $"{address} is a UDP address; a stream connection runs over TCP, TLS or unix: sockets");
            case AddressScheme.Tcp or AddressScheme.Tls when address.Port == 0:
                throw new SockitException(
                    SockitErrorCode.InvalidAddress, $"{AddressText.Display(address)} names no port to connect to");
            case AddressScheme.Tcp or AddressScheme.Tls when string.IsNullOrEmpty(address.Host):
                throw new SockitException(SockitErrorCode.InvalidAddress, "the address names no host");
            default:
                break;
        }
    }

    private static async Task<Socket> OpenSocketAsync(SockitAddress address, string peer, CancellationToken cancellationToken)
    {
        if (address.Scheme == AddressScheme.Unix)
        {
            return await ConnectUnixAsync(address.Path, peer, cancellationToken).ConfigureAwait(false);
        }

        var candidates = await ResolveAsync(address.Host, peer, cancellationToken).ConfigureAwait(false);

        // A name may resolve to both ::1 and 127.0.0.1 while the server listens on only one: try each in turn.
        SocketException? last = null;
        foreach (var candidate in candidates)
        {
            var socket = new Socket(candidate.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                // A server that vanishes without a FIN or a reset would leave a call waiting for ever: probed after a
                // minute of silence, it is noticed within about two, and the call fails as a lost connection.
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, KeepAliveIdleSeconds);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, KeepAliveIntervalSeconds);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, KeepAliveProbes);
                await socket.ConnectAsync(new IPEndPoint(candidate, address.Port), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw SocketErrorMapper.Map(last!, peer);
    }

    /// <summary>Resolves a host name or IP literal to the addresses to try, in the resolver's order.</summary>
    internal static async Task<IPAddress[]> ResolveAsync(string host, string peer, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw SocketErrorMapper.Map(ex, peer);
        }

        return addresses.Length > 0
            ? addresses
            : throw new SockitConnectionException(SockitErrorCode.HostNotFound, $"host not found: {peer}");
    }

    private static async Task<Socket> ConnectUnixAsync(string path, string peer, CancellationToken cancellationToken)
    {
        UnixDomainSocketEndPoint endPoint;
        try
        {
            endPoint = new UnixDomainSocketEndPoint(path);
        }
        catch (ArgumentException ex)
        {
            throw new SockitException(SockitErrorCode.InvalidAddress, $"cannot use {peer}: {ex.Message}", ex);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();

            // The OS reports a missing socket file as an address problem; to the user it means nobody is listening.
            if (!File.Exists(path))
            {
                throw new SockitConnectionException(
                    SockitErrorCode.ConnectionRefused,
                    $"connection refused by {peer}: no socket file there; is the server running?",
                    ex);
            }

            throw SocketErrorMapper.Map(ex, peer);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
