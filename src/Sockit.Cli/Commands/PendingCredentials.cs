using Sockit.Client.Auth;

namespace Sockit.Cli.Commands;

/// <summary>
/// The credentials a client verb logs in with: known already (options, environment, saved login, local key), or
/// typed at the terminal, which is asked for only once the server has answered, and only once per command.
/// </summary>
internal sealed class PendingCredentials
{
    private readonly Func<SockitCredentials>? _ask;
    private SockitCredentials? _known;

    private PendingCredentials(SockitCredentials? known, Func<SockitCredentials>? ask)
    {
        _known = known;
        _ask = ask;
    }

    /// <summary>Whether <see cref="Get"/> will ask at the terminal.</summary>
    public bool NeedsAsking => _known is null;

    /// <summary>Credentials that need no asking.</summary>
    public static PendingCredentials Known(SockitCredentials credentials) => new(credentials, null);

    /// <summary>Credentials that <paramref name="ask"/> gets at the terminal, when first needed.</summary>
    public static PendingCredentials AskLater(Func<SockitCredentials> ask) => new(null, ask);

    /// <summary>The credentials, asking for them the first time if they are not known.</summary>
    public SockitCredentials Get() => _known ??= _ask!();
}
