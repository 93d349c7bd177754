using System.Net.Sockets;
using Sockit.Protocol.Errors;

namespace Sockit.Server.Hosting;

/// <summary>Deals with the socket file a Unix domain endpoint leaves behind.</summary>
internal static class UnixSocketFiles
{
    /// <summary>
    /// Deletes a socket file left by a server that is gone, so a restart binds at once; refuses when a live
    /// server still answers on it, and never deletes anything that is not a socket.
    /// </summary>
    public static void RemoveStale(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return;
        }

        if ((info.UnixFileMode & UnixFileMode.None) == 0 && !IsSocket(path))
        {
            throw new SockitException(SockitErrorCode.InvalidAddress, $"{path} exists and is not a socket; refusing to replace it");
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
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

    private static bool IsSocket(string path) =>
        File.GetAttributes(path).HasFlag(FileAttributes.Device) || new FileInfo(path).Length == 0;
}
