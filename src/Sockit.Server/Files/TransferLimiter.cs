using Sockit.Protocol.Errors;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Files;

/// <summary>
/// Counts uploads and downloads in progress on the whole server, each holding its home's and its file's descriptors
/// open for as long as the transfer lasts, and refuses one past the limit with <c>server_busy</c> before anything is
/// opened: transfers must not use up the descriptors the connection limit counted on.
/// </summary>
internal sealed class TransferLimiter(int limit)
{
    private int _running;

    /// <summary>The most transfers in progress at once.</summary>
    public int Limit { get; } = limit;

    /// <summary>Transfers in progress now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Takes a slot; dispose the result when the transfer has ended.</summary>
    /// <exception cref="SockitException"><c>server_busy</c>: the limit is reached.</exception>
    public ReleaseOnce Enter()
    {
        if (Interlocked.Increment(ref _running) > Limit)
        {
            Interlocked.Decrement(ref _running);
            throw new SockitException(
                SockitErrorCode.ServerBusy,
                $"the server already has {Limit} uploads and downloads in progress, the most it holds at once; try again later");
        }

        return new ReleaseOnce(() => Interlocked.Decrement(ref _running));
    }
}
