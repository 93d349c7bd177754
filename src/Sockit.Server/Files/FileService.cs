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

    public FilesOptions Options { get; } = options;

    /// <summary>Uploads and downloads in progress on the whole server, within what the descriptors allow.</summary>
    public TransferLimiter Transfers { get; } = new(descriptors?.TransferLimit(options.MaxTransfers) ?? options.MaxTransfers);

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

    /// <summary>Refuses <paramref name="more"/> bytes when they would take the user past their quota.</summary>
    public void CheckQuota(SockitRequest request, HomeJail home, long more)
    {
        if (request.Session.User?.QuotaBytes is not long quota || more <= 0)
        {
            return;
        }

        long used = Usage(home);
        if (used + more > quota)
        {
            throw new SockitException(
                SockitErrorCode.QuotaExceeded,
                $"{more} more bytes would pass the quota of {quota} bytes ({used} used, {Math.Max(0, quota - used)} free)");
        }
    }
}
