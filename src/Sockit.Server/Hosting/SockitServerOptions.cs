using Sockit.Server.Files;
using Sockit.Server.Exec;
using Sockit.Protocol.Framing;
using Sockit.Server.Auth;
using Sockit.Server.Tls;
using Sockit.Server.Udp;

namespace Sockit.Server.Hosting;

/// <summary>The server's settings, bound from the <c>Sockit</c> configuration section.</summary>
public sealed class SockitServerOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "Sockit";

    /// <summary>The name the server gives in its hello.</summary>
    public string ServerName { get; set; } = "sockit";

    /// <summary>Most connections served at once, over all stream endpoints; the next one is refused with <c>server_busy</c>.</summary>
    public int MaxConnections { get; set; } = DefaultMaxConnections;

    /// <summary>The built-in <see cref="MaxConnections"/>; lowered at start to what the open-file limit allows.</summary>
    public const int DefaultMaxConnections = 20_000;

    /// <summary>
    /// Most stream connections from one client address (IP address, or all Unix-socket clients together); the next
    /// one is refused with <c>server_busy</c>. 0 means no per-address limit.
    /// </summary>
    public int MaxConnectionsPerAddress { get; set; } = 1_000;

    /// <summary>A connection that sends nothing for this long is closed with <c>idle_timeout</c>.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A connection whose client takes none of the server's pending output for this long is reset (the write
    /// deadline). Shorter than the idle timeout: a client that stops reading holds its slot only this long.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Once a frame has started, its header must be complete within this time (<c>header_timeout</c>).</summary>
    public TimeSpan HeaderTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long shutdown waits for in-flight replies before closing connections.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether the server gives memory back to the system once it goes quiet after a burst (one compacting collection;
    /// see docs/configuration.md). Embedders that manage the GC themselves can turn it off.
    /// </summary>
    public bool TrimMemoryWhenIdle { get; set; } = true;

    /// <summary>Largest header accepted, in bytes.</summary>
    public int MaxHeaderLength { get; set; } = FrameLimits.DefaultMaxHeaderLength;

    /// <summary>Largest body accepted by any operation; each operation has its own smaller limit.</summary>
    public long MaxBodyLength { get; set; } = FrameLimits.DefaultMaxBodyLength;

    /// <summary>How many requests with an <c>id</c> one connection may have in flight at once (announced in the hello).</summary>
    public int MaxRequestsInFlight { get; set; } = 32;

    /// <summary>
    /// Bytes of <c>input</c> a client may send for one request before the server grants more (announced in the hello):
    /// the most input the server holds per request.
    /// </summary>
    public int InputWindow { get; set; } = 256 * 1024;

    /// <summary>Largest echo body. Upper-cased echoes are held in memory, so this stays small.</summary>
    public long MaxEchoBodyLength { get; set; } = 1024 * 1024;

    /// <summary>Logins, anonymous access and throttling (<c>Sockit:Auth</c>).</summary>
    public AuthOptions Auth { get; } = new();

    /// <summary>Remote commands: switch, limits, timeouts and the legacy command listener (<c>Sockit:Exec</c>).</summary>
    public ExecOptions Exec { get; } = new();

    /// <summary>The file service: the data root of the homes, and its switch (<c>Sockit:Files</c>).</summary>
    public FilesOptions Files { get; } = new();

    /// <summary>Reply limits of the UDP endpoints (<c>Sockit:Udp</c>).</summary>
    public UdpOptions Udp { get; } = new();

    /// <summary>The endpoints, by name.</summary>
    public Dictionary<string, EndpointOptions> Endpoints { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The certificate every <c>tls://</c> endpoint presents unless it names its own.</summary>
    public ServerTlsOptions Tls { get; set; } = new();

    /// <summary>The frame limits these options describe.</summary>
    public FrameLimits ToFrameLimits() => new(MaxHeaderLength, MaxBodyLength);
}
