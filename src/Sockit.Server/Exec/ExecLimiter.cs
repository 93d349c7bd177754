using Sockit.Protocol.Errors;
using Sockit.Server.Hosting.Connections;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Exec;

/// <summary>
/// Counts running commands, per user and on the whole server, and refuses one past either limit with
/// <c>server_busy</c> before anything is started.
/// </summary>
internal sealed class ExecLimiter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private readonly int _maxRunning;
    private readonly int _maxPerUser;
    private int _running;

    /// <param name="options">The configured limits.</param>
    /// <param name="descriptors">The process's descriptor budget, which may lower the server-wide limit.</param>
    public ExecLimiter(ExecOptions options, DescriptorBudget? descriptors = null)
    {
        _maxRunning = descriptors?.CommandLimit(options.MaxRunning) ?? options.MaxRunning;
        _maxPerUser = options.MaxRunningPerUser;
    }

    /// <summary>The most commands the whole server runs at once: the configured limit, or less when descriptors are few.</summary>
    public int MaxRunning => _maxRunning;

    /// <summary>Commands running now on the whole server.</summary>
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

    /// <summary>Takes a slot for <paramref name="user"/>; dispose the result when the command has ended.</summary>
    /// <exception cref="SockitException"><c>server_busy</c>: a limit is reached.</exception>
    public ReleaseOnce Enter(string user)
    {
        lock (_lock)
        {
            _perUser.TryGetValue(user, out int mine);
            if (mine >= _maxPerUser)
            {
                throw new SockitException(
                    SockitErrorCode.ServerBusy,
                    $"'{user}' already runs {mine} commands, the most one user may run at once; try again when one has ended");
            }

            if (_running >= _maxRunning)
            {
                throw new SockitException(
                    SockitErrorCode.ServerBusy,
                    $"the server already runs {_running} commands, the most it runs at once; try again later");
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
