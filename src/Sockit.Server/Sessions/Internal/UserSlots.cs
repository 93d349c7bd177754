using Sockit.Protocol.Errors;

namespace Sockit.Server.Sessions.Internal;

/// <summary>
/// Counts what users have in progress (running commands, transfers), per user and on the whole server, and refuses one
/// more past either limit with <c>server_busy</c> before anything is started: the server-wide limit guards what the
/// server can hold, the per-user one keeps a single account from taking all of it and locking everyone else out.
/// </summary>
/// <param name="limit">The most in progress on the whole server.</param>
/// <param name="perUser">The most one user may have in progress, on all their connections.</param>
/// <param name="userFull">The refusal's message for a user at their limit, from the user and their count.</param>
/// <param name="serverFull">The refusal's message for a server at its limit, from its count.</param>
internal sealed class UserSlots(int limit, int perUser, Func<string, int, string> userFull, Func<int, string> serverFull)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private int _running;

    /// <summary>The most in progress on the whole server.</summary>
    public int Limit { get; } = limit;

    /// <summary>The most one user may have in progress.</summary>
    public int PerUserLimit { get; } = perUser;

    /// <summary>In progress now on the whole server.</summary>
    public int Running
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    /// <summary>Takes a slot for <paramref name="user"/>; dispose the result when what it was for has ended.</summary>
    /// <exception cref="SockitException"><c>server_busy</c>: a limit is reached.</exception>
    public ReleaseOnce Enter(string user)
    {
        lock (_lock)
        {
            _perUser.TryGetValue(user, out int mine);
            if (mine >= PerUserLimit)
            {
                throw new SockitException(SockitErrorCode.ServerBusy, userFull(user, mine));
            }

            if (_running >= Limit)
            {
                throw new SockitException(SockitErrorCode.ServerBusy, serverFull(_running));
            }

            _perUser[user] = mine + 1;
            _running++;
        }

        return new ReleaseOnce(() => Leave(user));
    }

    private void Leave(string user)
    {
        lock (_lock)
        {
            _running--;
            if (--_perUser[user] == 0)
            {
                _perUser.Remove(user);
            }
        }
    }
}
