using System.Globalization;
using System.Net;

namespace Sockit.LoadTest;

/// <summary>One target of a run: a server the tool starts, or a loopback address given on the command line.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Name">How the result line names it.</param>
/// <param name="Endpoint">The address, for <see cref="TargetKind.Address"/> only.</param>
public sealed record Target(TargetKind Kind, string Name, IPEndPoint? Endpoint)
{
    /// <summary>Whether the target speaks the framed protocol (hello first, replies with <c>ok</c>).</summary>
    public bool IsFramed => Kind != TargetKind.Raw;

    /// <summary>Parses <c>sockit</c>, <c>raw</c>, <c>python</c> or <c>HOST:PORT</c>.</summary>
    /// <exception cref="ArgumentException">Not one of those, or an address off this machine.</exception>
    public static Target Parse(string text)
    {
        switch (text.ToLowerInvariant())
        {
            case "sockit":
                return new Target(TargetKind.Sockit, "sockit", null);
            case "raw":
                return new Target(TargetKind.Raw, "raw", null);
            case "python":
                return new Target(TargetKind.Python, "python", null);
        }

        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            || port is < 1 or > 65535)
        {
            throw new ArgumentException($"--target '{text}' must be sockit, raw, python or HOST:PORT");
        }

        var host = text[..colon].Trim('[', ']');
        var address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var ip) ? ip : throw new ArgumentException($"--target host '{host}' must be an IP address or localhost");

        // A load generator must never be pointed at another machine.
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"--target {text}: only loopback addresses (127.0.0.0/8, ::1) may be loaded");
        }

        return new Target(TargetKind.Address, text, new IPEndPoint(address, port));
    }
}
