using Sockit.Protocol.Addressing;

namespace Sockit.Client;

/// <summary>How addresses appear in messages meant for people.</summary>
internal static class AddressText
{
    /// <summary>
    /// TCP addresses drop the <c>tcp://</c> the user rarely typed (<c>127.0.0.1:9000</c>); the others keep
    /// their scheme because it tells them apart.
    /// </summary>
    public static string Display(SockitAddress address)
    {
        var text = address.ToString();
        return address.Scheme == AddressScheme.Tcp && text.StartsWith("tcp://", StringComparison.Ordinal)
            ? text["tcp://".Length..]
            : text;
    }

    public static string Seconds(TimeSpan timeout) =>
        timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
