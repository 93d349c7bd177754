using System.Net;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;

namespace Sockit.Server.Exec.Legacy;

/// <summary>Where the legacy command listener listens (<c>Sockit:Exec:Legacy:Address</c>), checked before anything binds.</summary>
internal static class LegacyExecAddress
{
    /// <summary>The port of an address that names none: the tutorials' server's.</summary>
    public const int DefaultPort = 8888;

    /// <summary>The endpoint name the listener is reported under.</summary>
    public const string EndpointName = "legacy-exec";

    /// <summary>Whether <paramref name="options"/> ask for a listener at all (an empty address is none).</summary>
    public static bool IsConfigured(LegacyExecOptions options) => !string.IsNullOrWhiteSpace(options.Address);

    /// <summary>Whether the listener checks its clients with the HMAC challenge (an empty key is none).</summary>
    public static bool HasKey(LegacyExecOptions options) => !string.IsNullOrEmpty(options.HmacKey);

    /// <summary>
    /// The listener's address: <c>tcp://</c> or <c>unix:</c>, and without an HMAC key only a loopback IP address or a Unix
    /// socket, since its clients cannot log in and anyone who reaches it could run commands as the server's user.
    /// </summary>
    /// <exception cref="SockitException"><c>invalid_address</c>, saying which rule the address breaks.</exception>
    public static SockitAddress Parse(LegacyExecOptions options)
    {
        if (!SockitAddress.TryParse(options.Address, AddressScheme.Tcp, DefaultPort, out var address, out var error))
        {
            throw new SockitException(SockitErrorCode.InvalidAddress, $"Sockit:Exec:Legacy:Address: {error}");
        }

        if (address.Scheme is not (AddressScheme.Tcp or AddressScheme.Unix))
        {
            throw new SockitException(
                SockitErrorCode.InvalidAddress,
                $"cannot listen on {address}: the legacy command listener takes tcp://HOST:PORT or unix:PATH (its clients speak neither TLS nor UDP)");
        }

        if (address.Scheme == AddressScheme.Tcp && !HasKey(options) && !IsLoopback(address.Host))
        {
            throw new SockitException(
                SockitErrorCode.InvalidAddress,
                $"cannot listen on {address}: the legacy command listener's clients cannot log in, so without an HMAC key "
                + "(Sockit:Exec:Legacy:HmacKey, serve --legacy-exec-key-file) it listens only on 127.0.0.1, ::1 or a unix: socket");
        }

        return address;
    }

    // An IP literal only: a name is looked up when the listener binds, and could then turn out to be anything.
    private static bool IsLoopback(string host) => IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
}
