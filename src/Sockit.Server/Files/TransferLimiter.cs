using Sockit.Protocol.Errors;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Files;

/// <summary>
/// Counts uploads and downloads in progress, per user and on the whole server, each holding its home's and its file's
/// descriptors open for as long as the transfer lasts, and refuses one past either limit with <c>server_busy</c> before
/// anything is opened: transfers must not use up the descriptors the connection limit counted on, and one account's
/// transfers that never end (streamed uploads that send nothing, downloads never read) must not hold every slot.
/// </summary>
/// <param name="limit">The most transfers in progress on the whole server.</param>
/// <param name="perUser">The most one user may have in progress, on all their connections.</param>
internal sealed class TransferLimiter(int limit, int perUser)
{
    private readonly UserSlots _slots = new(
        limit,
        perUser,
        (user, mine) => $"'{user}' already has {mine} uploads and downloads in progress, the most one user may have at once; try again when one has ended",
        running => $"the server already has {running} uploads and downloads in progress, the most it holds at once; try again later");

    /// <summary>The most transfers in progress at once on the whole server.</summary>
    public int Limit => _slots.Limit;

    /// <summary>Transfers in progress now on the whole server.</summary>
    public int Running => _slots.Running;

    /// <summary>Takes a slot for <paramref name="user"/>; dispose the result when the transfer has ended.</summary>
    /// <exception cref="SockitException"><c>server_busy</c>: a limit is reached.</exception>
    public ReleaseOnce Enter(string user) => _slots.Enter(user);
}
