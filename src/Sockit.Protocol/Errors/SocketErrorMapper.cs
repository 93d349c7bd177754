using System.Net.Sockets;

namespace Sockit.Protocol.Errors;

/// <summary>Maps the operating system's socket errors to Sockit's exceptions at the network boundary.</summary>
public static class SocketErrorMapper
{
    /// <summary>Returns the Sockit exception that describes <paramref name="exception"/> to a user.</summary>
    /// <param name="exception">The socket failure.</param>
    /// <param name="peer">The address being talked to, for the message.</param>
    public static SockitException Map(SocketException exception, string peer)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => new SockitConnectionException(
                SockitErrorCode.ConnectionRefused, $"connection refused by {peer}: is the server running?", exception),
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => new SockitConnectionException(
                SockitErrorCode.HostNotFound, $"host not found: {peer}", exception),
            SocketError.TimedOut => new SockitTimeoutException(
                $"timed out talking to {peer}", SockitErrorCode.Timeout, exception),
            SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
                or SocketError.NotConnected => new SockitConnectionException(
                SockitErrorCode.ConnectionClosed, $"connection to {peer} was closed", exception),
            SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported
                or SocketError.AddressAlreadyInUse => new SockitConnectionException(
                SockitErrorCode.InvalidAddress, $"cannot use address {peer}: {exception.Message}", exception),
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => new SockitConnectionException(
                SockitErrorCode.NetworkError, $"{peer} is unreachable", exception),
            _ => new SockitConnectionException(
                SockitErrorCode.NetworkError, $"network error talking to {peer}: {exception.Message}", exception),
        };
    }
}
