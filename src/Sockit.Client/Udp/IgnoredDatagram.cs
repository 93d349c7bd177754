using System.Net;

namespace Sockit.Client.Udp;

/// <summary>A datagram that arrived while waiting for a reply but did not come from the server.</summary>
/// <param name="Sender">Where it came from.</param>
/// <param name="Length">Its size in bytes.</param>
public readonly record struct IgnoredDatagram(IPEndPoint Sender, int Length);
