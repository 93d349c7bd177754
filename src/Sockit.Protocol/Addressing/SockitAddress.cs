using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sockit.Protocol.Errors;

namespace Sockit.Protocol.Addressing;

/// <summary>
/// Where a service is: <c>tcp://host:port</c>, <c>tls://host:port</c>, <c>udp://host:port</c> or <c>unix:/path</c>. A bare
/// <c>host:port</c>, <c>[::1]:port</c>, <c>host</c> or <c>:port</c> takes the scheme and the missing parts
/// from the defaults given to <see cref="Parse(string, AddressScheme, int)"/>.
/// </summary>
/// <param name="Scheme">The transport.</param>
/// <param name="Host">Host name or IP literal (without brackets); empty for Unix sockets.</param>
/// <param name="Port">Port number (0 asks the OS for an ephemeral port when listening); 0 for Unix sockets.</param>
/// <param name="Path">Socket file path for <see cref="AddressScheme.Unix"/>; empty otherwise.</param>
public readonly record struct SockitAddress(AddressScheme Scheme, string Host, int Port, string Path)
{
    /// <summary>The host used when an address names only a port.</summary>
    public const string DefaultHost = "127.0.0.1";

    /// <summary>Parses <paramref name="text"/>, throwing a clear error when it is not an address.</summary>
    /// <exception cref="SockitException">With code <see cref="SockitErrorCode.InvalidAddress"/>.</exception>
    public static SockitAddress Parse(string text, AddressScheme defaultScheme = AddressScheme.Tcp, int defaultPort = 9000)
    {
        if (TryParse(text, defaultScheme, defaultPort, out var address, out var error))
        {
            return address;
        }

        throw new SockitException(SockitErrorCode.InvalidAddress, error);
    }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(
        string? text,
        AddressScheme defaultScheme,
        int defaultPort,
        out SockitAddress address,
        [NotNullWhen(false)] out string? error)
    {
        address = default;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "the address is empty";
            return false;
        }

        if (text.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["unix:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path[2..];
            }

            if (path.Length == 0)
            {
                error = $"'{text}' names no socket path (write unix:/path/to/socket)";
                return false;
            }

            address = new SockitAddress(AddressScheme.Unix, string.Empty, 0, path);
            error = null;
            return true;
        }

        var scheme = defaultScheme;
        var rest = text;
        int separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator >= 0)
        {
            var name = text[..separator];
            if (!TryParseScheme(name, out scheme))
            {
                error = $"unknown scheme '{name}' in '{text}' (use tcp://, tls://, udp:// or unix:)";
                return false;
            }

            rest = text[(separator + 3)..].TrimEnd('/');
        }

        if (!TrySplitHostPort(rest, defaultPort, out var host, out int port, out error))
        {
            error = $"'{text}' is not an address: {error}";
            return false;
        }

        address = new SockitAddress(scheme, host, port, string.Empty);
        return true;
    }

    /// <summary>Whether the address names a TCP stream, with or without TLS.</summary>
    public bool IsTcp => Scheme is AddressScheme.Tcp or AddressScheme.Tls;

    /// <summary>The canonical text form, e.g. <c>tcp://[::1]:9000</c> or <c>unix:/run/sockit.sock</c>.</summary>
    public override string ToString() => Scheme switch
    {
        AddressScheme.Unix => "unix:" + Path,
        _ => string.Create(
            CultureInfo.InvariantCulture,
            $"{Scheme.ToString().ToLowerInvariant()}://{HostPort}"),
    };

    /// <summary><c>host:port</c>, with brackets around an IPv6 literal; empty for Unix sockets.</summary>
    public string HostPort => Scheme == AddressScheme.Unix
        ? string.Empty
        : string.Create(CultureInfo.InvariantCulture, $"{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}");

    private static bool TryParseScheme(string name, out AddressScheme scheme)
    {
        switch (name.ToUpperInvariant())
        {
            case "TCP":
                scheme = AddressScheme.Tcp;
                return true;
            case "UDP":
                scheme = AddressScheme.Udp;
                return true;
            case "TLS":
                scheme = AddressScheme.Tls;
                return true;
            default:
                scheme = default;
                return false;
        }
    }

    private static bool TrySplitHostPort(
        string text, int defaultPort, out string host, out int port, [NotNullWhen(false)] out string? error)
    {
        host = DefaultHost;
        port = defaultPort;
        error = null;
        string? portText = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "missing ']' after the IPv6 address";
                return false;
            }

            host = text[1..close];
            var after = text[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    error = "expected ':' and a port after ']'";
                    return false;
                }

                portText = after[1..];
            }
        }
        else
        {
            int colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                // Several colons and no brackets: a bare IPv6 literal with no port.
                host = text;
            }
            else if (colon >= 0)
            {
                host = colon == 0 ? DefaultHost : text[..colon];
                portText = text[(colon + 1)..];
            }
            else
            {
                host = text;
            }
        }

        if (host.Length == 0)
        {
            error = "the host is empty";
            return false;
        }

        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
        {
            error = $"'{portText}' is not a port number (0-65535)";
            return false;
        }

        return true;
    }
}
