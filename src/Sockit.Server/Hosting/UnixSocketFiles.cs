using System.Net.Sockets;
using System.Runtime.InteropServices;
using Sockit.Protocol.Errors;

namespace Sockit.Server.Hosting;

/// <summary>Deals with the socket file a Unix domain endpoint leaves behind.</summary>
internal static partial class UnixSocketFiles
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 28;
    private const ushort FileTypeMask = 0xF000;
    private const ushort SocketType = 0xC000;

    /// <summary>
    /// Deletes a socket file left by a server that is gone, so a restart binds at once; refuses when a live
    /// server still answers on it, and never deletes anything that is not a socket.
    /// </summary>
    public static void RemoveStale(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        if (IsSocket(path) != true)
        {
            throw new SockitException(
                SockitErrorCode.InvalidAddress, $"{path} exists and is not a socket (or cannot be checked); remove it or pick another path");
        }

        using var probe = new Socket(AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            File.Delete(path);
            return;
        }

        throw new SockitException(SockitErrorCode.InvalidAddress, $"another server is listening on {path}");
    }

    /// <summary>
    /// Asks the kernel for the file's type. .NET reports a socket file as a normal empty file, so only
    /// statx(2), whose layout is the same on every Linux architecture, can tell them apart.
    /// </summary>
    /// <returns><see langword="null"/> when the type cannot be read (not Linux, or an old C library).</returns>
    internal static unsafe bool? IsSocket(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        byte* buffer = stackalloc byte[256];
        try
        {
            if (Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
            {
                return null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }

        ushort mode = *(ushort*)(buffer + StatxModeOffset);
        return (mode & FileTypeMask) == SocketType;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
