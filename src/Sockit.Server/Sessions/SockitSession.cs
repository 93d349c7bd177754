using Sockit.Server.Auth;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Sessions;

/// <summary>
/// One framed connection as capabilities see it: who is connected, the state each capability keeps for it, and
/// its subscriptions. Requests of the connection may run at once, so everything here is safe to use concurrently.
/// </summary>
public sealed partial class SockitSession
{
    private volatile AuthenticatedUser? _user;

    internal SockitSession(string connectionId, string remoteAddress, string clientHost, SessionOutput output, InFlightRequests requests)
    {
        ConnectionId = connectionId;
        RemoteAddress = remoteAddress;
        ClientHost = clientHost;
        Output = output;
        Requests = requests;
    }

    /// <summary>The server's id for this connection (as in the logs).</summary>
    public string ConnectionId { get; }

    /// <summary>The client's address, for logs and decisions.</summary>
    public string RemoteAddress { get; }

    /// <summary>
    /// What the client is counted by for connection limits and login throttling: its IPv4 address, its IPv6 /64
    /// network, or <c>local</c> for Unix sockets.
    /// </summary>
    public string ClientHost { get; }

    /// <summary>Who the connection is logged in as; <see langword="null"/> while anonymous. Set by auth.</summary>
    public AuthenticatedUser? User
    {
        get => _user;
        internal set => _user = value;
    }

    /// <summary>Each capability's state for this connection.</summary>
    public SessionFeatures Features { get; } = new();

    /// <summary>The connection's single way out (see <see cref="SessionOutput"/>).</summary>
    internal SessionOutput Output { get; }

    /// <summary>The requests with an <c>id</c> running on their own.</summary>
    internal InFlightRequests Requests { get; }
}
