using System.Runtime.InteropServices;
using Sockit.Protocol.Errors;
using static Sockit.Server.Files.Jail.JailLibC;

namespace Sockit.Server.Files.Jail;

/// <summary>
/// Turns an error number from a call inside a home into the stable code a client gets. Messages name the path as the
/// client wrote it, never the server's own path to the home, which is none of the client's business.
/// </summary>
internal static class JailErrors
{
    /// <summary>The exception for <paramref name="errno"/>; <paramref name="what"/> says what failed, e.g. "cannot delete /a".</summary>
    public static SockitException For(int errno, string what) => errno switch
    {
        ENOENT => new(SockitErrorCode.NotFound, $"{what}: no such file or folder"),
        EEXIST => new(SockitErrorCode.AlreadyExists, $"{what}: the name is already taken"),
        ENOTDIR => new(SockitErrorCode.NotAFolder, $"{what}: a name on the way is not a folder"),
        EISDIR => new(SockitErrorCode.IsAFolder, $"{what}: it is a folder"),
        ELOOP or EXDEV => new(
            SockitErrorCode.OutsideHome, $"{what}: the path goes through a link or a mount point, which could lead outside the home"),
        ENOTEMPTY => new(SockitErrorCode.NotEmpty, $"{what}: the folder is not empty"),
        EACCES or EPERM or EROFS => new(SockitErrorCode.Forbidden, $"{what}: the server's file system does not allow it"),
        ENOSPC or EDQUOT or EFBIG => new(SockitErrorCode.QuotaExceeded, $"{what}: no room left"),
        ENAMETOOLONG => new(SockitErrorCode.InvalidName, $"{what}: a name is too long"),
        EBUSY or EWOULDBLOCK => new(SockitErrorCode.Busy, $"{what}: it is in use; try again later"),

        // Opening a socket file fails so; a FIFO or device never gets that far (see HomeJail.OpenRegular).
        ENXIO => new(SockitErrorCode.SpecialFile, $"{what}: it is a device, FIFO or socket"),
        EINVAL => new(SockitErrorCode.InvalidArgument, $"{what}: not possible (a folder into itself?)"),
        ENOSYS => new(SockitErrorCode.NotSupported, $"{what}: the kernel lacks openat2 (Linux 5.6 or later is needed)"),
        _ => new(SockitErrorCode.InternalError, $"{what}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})"),
    };

    /// <summary>
    /// The exception for a failed read or write of a file already open (a full disk, most often). .NET puts the error
    /// number in <see cref="Exception.HResult"/> on Linux; its message, which names the server's own path, is not used.
    /// </summary>
    public static SockitException ForIo(IOException exception, string what)
    {
        if (exception.HResult is > 0 and < 4096)
        {
            var known = For(exception.HResult, what);
            return new SockitException(known.Code, known.Message, exception);
        }

        return new SockitException(SockitErrorCode.InternalError, $"{what}: the server's disk failed", exception);
    }

    /// <summary>The same, for the error of the call that just failed.</summary>
    public static SockitException ForLast(string what) => For(Marshal.GetLastPInvokeError(), what);
}
