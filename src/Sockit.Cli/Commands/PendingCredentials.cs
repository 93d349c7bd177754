using Sockit.Client.Auth;

namespace Sockit.Cli.Commands;

/// <summary>
/// The credentials a client verb logs in with: known already (options, environment, saved login, local key), or
/// typed at the terminal, which is asked for only once the server has answered, and only once per command.
/// </summary>
internal sealed class PendingCredentials
{
    private readonly Func<CancellationToken, Task<SockitCredentials>>? _ask;
    private SockitCredentials? _known;

    private PendingCredentials(SockitCredentials? known, Func<CancellationToken, Task<SockitCredentials>>? ask)
    {
        _known = known;
        _ask = ask;
    }

    /// <summary>Whether <see cref="GetAsync"/> will ask at the terminal.</summary>
    public bool NeedsAsking => _known is null;

    /// <summary>Credentials that need no asking.</summary>
    public static PendingCredentials Known(SockitCredentials credentials) => new(credentials, null);

    /// <summary>Credentials that <paramref name="ask"/> gets at the terminal, when first needed.</summary>
    public static PendingCredentials AskLater(Func<CancellationToken, Task<SockitCredentials>> ask) => new(null, ask);

    /// <summary>The credentials, asking for them the first time if they are not known.</summary>
    public async ValueTask<SockitCredentials> GetAsync(CancellationToken cancellationToken) =>
        _known ??= await _ask!(cancellationToken).ConfigureAwait(false);
}
