namespace Sockit.Server.Hosting.Connections;

/// <summary>What <see cref="ConnectionLimiter.TryAcquire(string)"/> decided about a new connection.</summary>
internal enum ConnectionAdmission
{
    /// <summary>The connection has a slot.</summary>
    Admitted,

    /// <summary>Every slot of the server is taken.</summary>
    ServerFull,

    /// <summary>The client's address has as many connections as one address may have.</summary>
    AddressFull,
}
