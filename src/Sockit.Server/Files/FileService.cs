using Sockit.Protocol.Errors;
using Sockit.Server.Files.Jail;
using Sockit.Server.Hosting.Connections;
using Sockit.Server.Sessions;

namespace Sockit.Server.Files;

/// <summary>
/// What the file operations share: the data root, the switch, and each user's usage for quotas. A home is opened for
/// each request (one <c>openat2</c>), so nothing is held per connection.
/// </summary>
internal sealed class FileService(FilesOptions options, DescriptorBudget? descriptors = null)
{
    private readonly string _dataRoot = options.ResolveDataRoot();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _used = new(StringComparer.Ordinal);

    // Per user: bytes that uploads in progress have been let in for and not written yet.
    private readonly Dictionary<string, long> _reserved = new(StringComparer.Ordinal);

    public FilesOptions Options { get; } = options;

    /// <summary>Uploads and downloads in progress, per user and on the whole server (within what the descriptors allow).</summary>
    public TransferLimiter Transfers { get; } = new(descriptors?.TransferLimit(options.MaxTransfers) ?? options.MaxTransfers, options.MaxTransfersPerUser);

    /// <summary>What streamed uploads may hold in their widened input windows, on the whole server.</summary>
    public UploadWindowBudget UploadWindows { get; } = new(options.UploadWindowBudget);

    /// <summary>One upload at a time per target.</summary>
    public UploadGate Uploads { get; } = new();

    /// <summary>SHA-256s of unchanged files already hashed whole, so a download need not read a file twice.</summary>
    public FileHashCache Hashes { get; } = new();

    /// <summary>Opens the home of the request's user.</summary>
    /// <exception cref="SockitException"><c>forbidden</c> when the service is off or the connection has no user.</exception>
    public HomeJail OpenHome(SockitRequest request)
    {
        if (!Options.Enabled)
        {
            throw new SockitException(SockitErrorCode.Forbidden, "the file service is switched off on this server (Sockit:Files:Enabled)");
        }

        var user = request.Session.User
            ?? throw new SockitException(SockitErrorCode.Forbidden, "the file service needs a login: files live in each account's home");
        return HomeJail.Open(_dataRoot, user.Name);
    }

    /// <summary>
    /// Bytes <paramref name="home"/> uses, partial uploads included: walked once per user, then kept up to date by
    /// <see cref="AddUsage"/>. <paramref name="recount"/> walks again (for <c>df</c>, which also catches changes made
    /// outside the server).
    /// </summary>
    public long Usage(HomeJail home, bool recount = false)
    {
        lock (_lock)
        {
            if (!recount && _used.TryGetValue(home.UserName, out long known))
            {
                return known;
            }
        }

        long used = home.UsedBytes();
        lock (_lock)
        {
            _used[home.UserName] = used;
        }

        return used;
    }

    /// <summary>
    /// Refuses what would take more room (a folder: a block on most file systems) once the user's files fill their
    /// quota, uploads in progress counted: <c>quota_exceeded</c>.
    /// </summary>
    public void RefuseWhenFull(SockitRequest request, HomeJail home)
    {
        if (request.Session.User?.QuotaBytes is not long quota)
        {
            return;
        }

        long measured = Usage(home);
        lock (_lock)
        {
            long used = _used.GetValueOrDefault(home.UserName, measured) + _reserved.GetValueOrDefault(home.UserName);
            if (used >= quota)
            {
                throw new SockitException(SockitErrorCode.QuotaExceeded, $"the quota of {quota} bytes is full ({used} bytes used or held by uploads in progress); nothing was made");
            }
        }
    }

    /// <summary>Adds <paramref name="delta"/> bytes (negative when freed) to a user's known usage.</summary>
    public void AddUsage(string user, long delta)
    {
        lock (_lock)
        {
            if (_used.TryGetValue(user, out long known))
            {
                _used[user] = Math.Max(0, known + delta);
            }
        }
    }

    /// <summary>Drops a user's known usage after a change too large to count (a recursive delete): the next check walks the home.</summary>
    public void ForgetUsage(string user)
    {
        lock (_lock)
        {
            _used.Remove(user);
        }
    }

    /// <summary>
    /// Sets aside <paramref name="bytes"/> of the user's quota for an upload about to write them, or refuses them with
    /// <c>quota_exceeded</c> when they would take the user past it, counting what is used and what other uploads of the
    /// user (on any connection) have set aside. The check and the setting aside are one step, so uploads that start
    /// together cannot all be let in on the same room. Dispose the result when the upload ends, however it ends.
    /// </summary>
    /// <param name="request">The upload; its user's quota applies (none: nothing is refused).</param>
    /// <param name="home">The user's home.</param>
    /// <param name="bytes">What the upload will write.</param>
    /// <param name="freedFirst">What the upload frees before it writes (a partial cut back to where it resumes).</param>
    public QuotaReservation Reserve(SockitRequest request, HomeJail home, long bytes, long freedFirst)
    {
        long? quota = request.Session.User?.QuotaBytes;
        long measured = quota is null ? 0 : Usage(home);
        string user = home.UserName;
        lock (_lock)
        {
            _reserved.TryGetValue(user, out long reserved);
            long more = bytes - freedFirst;
            if (quota is long limit && more > 0)
            {
                // Dropped meanwhile by a recursive delete: the walk just made is as good.
                long used = _used.GetValueOrDefault(user, measured);
                if (used + reserved + more > limit)
                {
                    long free = Math.Max(0, limit - used - reserved);
                    throw new SockitException(
                        SockitErrorCode.QuotaExceeded,
                        reserved == 0
                            ? $"{more} more bytes would pass the quota of {limit} bytes ({used} used, {free} free)"
                            : $"{more} more bytes would pass the quota of {limit} bytes ({used} used, {reserved} held by uploads in progress, {free} free)");
                }
            }

            _reserved[user] = reserved + bytes;
        }

        return new QuotaReservation(this, user, bytes);
    }

    /// <summary>Moves <paramref name="reserved"/> bytes of a reservation to the user's usage, with <paramref name="written"/> bytes written.</summary>
    internal void Settle(string user, long reserved, long written)
    {
        lock (_lock)
        {
            Unreserve(user, reserved);
            if (_used.TryGetValue(user, out long known))
            {
                _used[user] = Math.Max(0, known + written);
            }
        }
    }

    /// <summary>Gives back what a reservation held and did not write.</summary>
    internal void Release(string user, long reserved)
    {
        lock (_lock)
        {
            Unreserve(user, reserved);
        }
    }

    private void Unreserve(string user, long bytes)
    {
        if (bytes != 0 && _reserved.TryGetValue(user, out long reserved))
        {
            if (reserved > bytes)
            {
                _reserved[user] = reserved - bytes;
            }
            else
            {
                _reserved.Remove(user);
            }
        }
    }
}
