using System.Net;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;

namespace Sockit.Server.Hosting.Connections;

/// <summary>
/// A listener for one of the tutorials' own clients (the command client, the upload client): off unless given an
/// address, never an endpoint, and, since those clients cannot log in, bound only where local clients alone reach it
/// unless it has an HMAC key. The address is checked here, before anything binds.
/// </summary>
internal sealed class LegacyListener
{
    /// <summary>The tutorials' remote-command server (tutorial 000), at <c>Sockit:Exec:Legacy</c>.</summary>
    public static readonly LegacyListener Exec = new(
        ServiceKind.LegacyExec, "legacy-exec", "legacy command listener", "Sockit:Exec:Legacy", "serve --legacy-exec-key-file", 8888);

    /// <summary>The receiving end of the tutorials' file upload (tutorial 003), at <c>Sockit:Files:Legacy</c>.</summary>
    public static readonly LegacyListener Upload = new(
        ServiceKind.LegacyUpload, "legacy-upload", "legacy upload listener", "Sockit:Files:Legacy", "serve --legacy-upload-key-file", 8088);

    private LegacyListener(ServiceKind service, string endpointName, string description, string section, string keyOption, int defaultPort)
    {
        Service = service;
        EndpointName = endpointName;
        Description = description;
        Section = section;
        KeyOption = keyOption;
        DefaultPort = defaultPort;
    }

    /// <summary>What the listener serves, as the endpoints report it.</summary>
    public ServiceKind Service { get; }

    /// <summary>The endpoint name the listener is reported under.</summary>
    public string EndpointName { get; }

    /// <summary>What messages call it, e.g. <c>legacy command listener</c>.</summary>
    public string Description { get; }

    /// <summary>Its configuration section, e.g. <c>Sockit:Exec:Legacy</c>.</summary>
    public string Section { get; }

    /// <summary>The <c>sockit</c> option that gives it a key from a file.</summary>
    public string KeyOption { get; }

    /// <summary>The port of an address that names none: the tutorial's server's.</summary>
    public int DefaultPort { get; }

    /// <summary>Whether <paramref name="options"/> ask for a listener at all (an empty address is none).</summary>
    public static bool IsConfigured(ILegacyListenerOptions options) => !string.IsNullOrWhiteSpace(options.Address);

    /// <summary>Whether the listener checks its clients with the HMAC challenge (an empty key is none).</summary>
    public static bool HasKey(ILegacyListenerOptions options) => !string.IsNullOrEmpty(options.HmacKey);

    /// <summary>The challenge the listener's clients must pass, or <see langword="null"/> when it has no key.</summary>
    public static LegacyChallenge? ChallengeOf(ILegacyListenerOptions options) =>
        HasKey(options) ? new LegacyChallenge(options.HmacKey!, options.HmacDigest) : null;

    /// <summary>How the listener checks its clients, for the log line that says it listens.</summary>
    public static string CheckOf(ILegacyListenerOptions options) =>
        ChallengeOf(options) is { } challenge
            ? $"clients must pass the {challenge.Name} challenge"
            : "no HMAC key: clients are not checked, so only local ones can reach it";

    /// <summary>
    /// The listener's address: <c>tcp://</c> or <c>unix:</c>, and without an HMAC key only a loopback IP address or a Unix
    /// socket, since its clients cannot log in and anyone who reaches it could do what it does as the server's user.
    /// </summary>
    /// <exception cref="SockitException"><c>invalid_address</c>, saying which rule the address breaks.</exception>
    public SockitAddress Parse(ILegacyListenerOptions options)
    {
        if (!SockitAddress.TryParse(options.Address, AddressScheme.Tcp, DefaultPort, out var address, out var error))
        {
            throw new SockitException(SockitErrorCode.InvalidAddress, $"{Section}:Address: {error}");
        }

        if (address.Scheme is not (AddressScheme.Tcp or AddressScheme.Unix))
        {
            throw new SockitException(
                SockitErrorCode.InvalidAddress,
                $"cannot listen on {address}: the {Description} takes tcp://HOST:PORT or unix:PATH (its clients speak neither TLS nor UDP)");
        }

        if (address.Scheme == AddressScheme.Tcp && !HasKey(options) && !IsLoopback(address.Host))
        {
            throw new SockitException(
                SockitErrorCode.InvalidAddress,
                $"cannot listen on {address}: the {Description}'s clients cannot log in, so without an HMAC key "
                + $"({Section}:HmacKey, {KeyOption}) it listens only on 127.0.0.1, ::1 or a unix: socket");
        }

        return address;
    }

    // An IP literal only: a name is looked up when the listener binds, and could then turn out to be anything.
    private static bool IsLoopback(string host) => IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
}
