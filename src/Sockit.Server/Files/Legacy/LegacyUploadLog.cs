using Microsoft.Extensions.Logging;

namespace Sockit.Server.Files.Legacy;

/// <summary>
/// Log events of the legacy upload listener (event ids 1700-1799): one line per upload, stored or not, and the
/// connections turned away before any upload began. Names and checksums come from clients and are escaped before they
/// get here; file contents are never logged.
/// </summary>
internal static partial class LegacyUploadLog
{
    [LoggerMessage(1700, LogLevel.Information, "Legacy upload listener on {Address} ({Check}); files go to {Folder}")]
    public static partial void Listening(ILogger logger, string address, string check, string folder);

    [LoggerMessage(1701, LogLevel.Information, "legacy upload stored: remote={Remote} name={Name} size={Size} md5={Md5} md5_check=ok duration_ms={DurationMs}")]
    public static partial void Stored(ILogger logger, string remote, string name, long size, string md5, long durationMs);

    [LoggerMessage(1702, LogLevel.Warning, "legacy upload not stored: remote={Remote} name={Name} size={Size} md5={Md5} md5_check={Md5Check} received={Received}: {Code}: {Reason}")]
    public static partial void NotStored(
        ILogger logger, string remote, string name, long size, string md5, string md5Check, long received, string code, string reason);

    [LoggerMessage(1703, LogLevel.Warning, "Legacy upload listener: {Remote} failed the HMAC challenge ({Reason}); connection closed ({Unlogged} more failures not logged before this one)")]
    public static partial void ChallengeFailed(ILogger logger, string remote, string reason, int unlogged);

    [LoggerMessage(1704, LogLevel.Warning, "Legacy upload listener: {Remote} sent no valid upload header, {Code}: {Reason}; connection closed ({Unlogged} more not logged before this one)")]
    public static partial void HeaderRefused(ILogger logger, string remote, string code, string reason, int unlogged);

    [LoggerMessage(1705, LogLevel.Warning, "Legacy upload listener: the partial file of {Name} could not be removed, {Code}: {Reason}; the next upload of that name starts it again")]
    public static partial void PartialKept(ILogger logger, string name, string code, string reason);
}
