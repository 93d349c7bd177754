using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sockit.Protocol.Errors;

namespace Sockit.Server.Hosting;

/// <summary>
/// Turns a failure to bind an endpoint into one line naming the endpoint as the configuration does
/// (<c>tcp://</c>, <c>tls://</c>, <c>udp://</c>, <c>unix:</c>), e.g.
/// <c>cannot listen on tls://127.0.0.1:9443: address already in use (is another server running?)</c>.
/// </summary>
internal static partial class ListenFailure
{
    private const string InUse = "address already in use (is another server running?)";

    /// <summary>Kestrel's report of an address in use, which names every endpoint <c>http://</c> or <c>https://</c>.</summary>
    public static SockitException AddressInUse(IOException exception)
    {
        var match = KestrelBindMessage().Match(exception.Message);
        var address = match.Success ? FromKestrelUrl(match.Groups["url"].Value) : "an endpoint";
        return new SockitException(SockitErrorCode.InvalidAddress, $"cannot listen on {address}: {InUse}", exception);
    }

    /// <summary>A socket error binding <paramref name="address"/> (or, when Kestrel does not say which, one of several).</summary>
    public static SockitException FromSocket(SocketException exception, string address)
    {
        var reason = exception.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse => InUse,
            SocketError.AddressNotAvailable => "no such address on this machine",
            SocketError.AccessDenied => "permission denied (ports below 1024 need privileges)",
            _ => exception.Message,
        };
        return new SockitException(SockitErrorCode.InvalidAddress, $"cannot listen on {address}: {reason}", exception);
    }

    private static string FromKestrelUrl(string url) =>
        url.StartsWith("http://unix:", StringComparison.OrdinalIgnoreCase) ? url["http://".Length..]
        : url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "tls://" + url["https://".Length..]
        : url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? "tcp://" + url["http://".Length..]
        : url;

    [GeneratedRegex(@"address (?<url>\S+): address already in use", RegexOptions.IgnoreCase)]
    private static partial Regex KestrelBindMessage();
}
