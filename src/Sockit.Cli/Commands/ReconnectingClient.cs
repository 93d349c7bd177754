using Sockit.Client;
using Sockit.Protocol.Errors;

namespace Sockit.Cli.Commands;

/// <summary>
/// The framed connection of a client verb. In the interactive loop, a request that finds the connection closed by the
/// server (a restart, the idle or login deadline) is sent again on a new connection, after one line on standard error,
/// so the line typed is not lost.
/// </summary>
internal sealed class ReconnectingClient : IAsyncDisposable
{
    private readonly CliContext _context;
    private readonly ServerTarget _target;

    private ReconnectingClient(CliContext context, ServerTarget target, SockitClient client)
    {
        _context = context;
        _target = target;
        Client = client;
    }

    /// <summary>The current connection.</summary>
    public SockitClient Client { get; private set; }

    /// <summary>Connects to <paramref name="target"/> (logging in if it says so).</summary>
    public static async Task<ReconnectingClient> ConnectAsync(CliContext context, ServerTarget target, CancellationToken cancellationToken) =>
        new(context, target, await target.ConnectAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Runs <paramref name="operation"/> for <paramref name="request"/>; if it fails because the server had closed the
    /// connection, says so, connects again (with the same login) and runs it once more. A failed reconnect is thrown.
    /// </summary>
    public async Task<string> SendAsync(
        Func<SockitClient, string, CancellationToken, Task<string>> operation, string request, CancellationToken cancellationToken)
    {
        try
        {
            return await operation(Client, request, cancellationToken).ConfigureAwait(false);
        }
        catch (SockitException ex) when (IsClosedByServer(ex))
        {
            await ReconnectAsync(CommandRunner.Describe(ex), cancellationToken).ConfigureAwait(false);
            return await operation(Client, request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The connection, connected again (after one line on standard error) if the server has closed it in the meantime.
    /// For requests that must not run twice, such as remote commands: each is sent once, on a connection that was open
    /// when it was sent, and never again.
    /// </summary>
    public async Task<SockitClient> GetOpenAsync(CancellationToken cancellationToken)
    {
        if (!Client.IsConnected)
        {
            await ReconnectAsync($"the connection to {_target.Address} was closed", cancellationToken).ConfigureAwait(false);
        }

        return Client;
    }

    private async Task ReconnectAsync(string why, CancellationToken cancellationToken)
    {
        await _context.Error.WriteLineAsync($"sockit: {why}; reconnecting to {_target.Address}").ConfigureAwait(false);
        await Client.DisposeAsync().ConfigureAwait(false);
        Client = await _target.ConnectAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();

    // Only a connection the server closed is worth a second try. A timeout or a garbled reply would most likely
    // happen again, and says something the user should see.
    private bool IsClosedByServer(SockitException exception) => exception switch
    {
        SockitConnectionException connection => connection.Code == SockitErrorCode.ConnectionClosed,
        SockitRemoteException => !Client.IsConnected,
        _ => false,
    };
}
