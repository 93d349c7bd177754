using Sockit.Protocol.Addressing;

namespace Sockit.Server.Hosting;

/// <summary>An endpoint the running server listens on, with the port the OS actually gave it.</summary>
/// <param name="Name">The endpoint's configured name.</param>
/// <param name="Service">What it serves.</param>
/// <param name="Address">The address clients connect to.</param>
public sealed record BoundEndpoint(string Name, ServiceKind Service, SockitAddress Address);
