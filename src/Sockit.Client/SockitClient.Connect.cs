using System.Net;
using System.Net.Sockets;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;

namespace Sockit.Client;

public sealed partial class SockitClient
{
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

    private async Task<HelloMessage> ReadHelloAsync(CancellationToken cancellationToken)
    {
        var head = await _reader.ReadHeadAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new SockitConnectionException(
                SockitErrorCode.ConnectionClosed, $"{_peer} closed the connection without saying hello");

        var status = head.Deserialize(SockitJsonContext.Default.ReplyStatus);
        if (!status.Ok)
        {
            // A server at its connection limit answers with a failed frame instead of a hello, then closes.
            throw RemoteError(status, null);
        }

        if (head.Op != Ops.Hello)
        {
            throw new SockitProtocolException(
                SockitErrorCode.ProtocolError, $"{_peer} sent '{head.Op}' where a hello was expected");
        }

        var hello = head.Deserialize(SockitJsonContext.Default.HelloMessage);
        await _reader.SkipBodyAsync(cancellationToken).ConfigureAwait(false);
        return hello;
    }

    private static SockitRemoteException RemoteError(ReplyStatus status, long? requestId)
    {
        var code = string.IsNullOrEmpty(status.Error) ? SockitErrorCode.ProtocolError : new SockitErrorCode(status.Error);
        var message = string.IsNullOrEmpty(status.Message) ? $"the server replied with error {code}" : status.Message;
        return new SockitRemoteException(code, message, status.Id ?? requestId);
    }
}
