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
    private readonly UserSlots _slots;

    /// <param name="options">The configured limits.</param>
    /// <param name="descriptors">The process's descriptor budget, which may lower the server-wide limit.</param>
    public ExecLimiter(ExecOptions options, DescriptorBudget? descriptors = null)
    {
        _slots = new UserSlots(
            descriptors?.CommandLimit(options.MaxRunning) ?? options.MaxRunning,
            options.MaxRunningPerUser,
            (user, mine) => $"'{user}' already runs {mine} commands, the most one user may run at once; try again when one has ended",
            running => $"the server already runs {running} commands, the most it runs at once; try again later");
    }

    /// <summary>The most commands the whole server runs at once: the configured limit, or less when descriptors are few.</summary>
    public int MaxRunning => _slots.Limit;

    /// <summary>Commands running now on the whole server.</summary>
    public int Running => _slots.Running;

    /// <summary>Takes a slot for <paramref name="user"/>; dispose the result when the command has ended.</summary>
    /// <exception cref="SockitException"><c>server_busy</c>: a limit is reached.</exception>
    public ReleaseOnce Enter(string user) => _slots.Enter(user);
}
