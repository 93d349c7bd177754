using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Sockit.Protocol.Errors;

namespace Sockit.Client.Files;

/// <summary>
/// Opens a local file to upload. On Linux the open does not wait: opening a named pipe for reading would wait, without
/// end and deaf to cancellation, for a writer to appear, and a pipe cannot be uploaded anyway (its size is not known
/// before it is read). The descriptor is opened non-blocking, which a regular file ignores.
/// </summary>
internal static partial class UploadFileOpener
{
    // Linux's values, the same on every architecture it runs .NET on.
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;

    private const int NoEntry = 2;
    private const int NoDeviceOrAddress = 6;
    private const int AccessDenied = 13;
    private const int NotPermitted = 1;

    // statx(2): the caller's own descriptor, only the file's type. struct statx has one layout on every architecture.
    private const int EmptyPath = 0x1000;
    private const uint TypeField = 0x1;
    private const int StatusLength = 256;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;
    private const int FolderType = 0x4000;

    /// <summary>
    /// Opens <paramref name="path"/> for reading; refuses folders, and on Linux anything else that is not a regular file
    /// (a pipe, a socket, a device: <c>/dev/zero</c> would upload as an empty file). Elsewhere a pipe is refused when its
    /// size is asked for (<see cref="UploadSource.Open"/>).
    /// </summary>
    /// <exception cref="SockitException"><c>invalid_argument</c>: not a regular file.</exception>
    /// <exception cref="IOException">The system's own error (no such file, ...).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static SafeFileHandle Open(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }

        int descriptor = OpenDescriptor(path, ReadOnly | NonBlocking | CloseOnExec);
        if (descriptor < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            throw error switch
            {
                NoEntry => new FileNotFoundException($"Could not find file '{path}'.", path),
                AccessDenied or NotPermitted => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
                NoDeviceOrAddress => NotAFile(path),
                _ => new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(error)}", error),
            };
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        try
        {
            return FileType(handle, path) switch
            {
                RegularType => handle,
                FolderType => throw new SockitException(SockitErrorCode.InvalidArgument, $"{path} is a folder; -r uploads it with everything in it"),
                _ => throw NotAFile(path),
            };
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The refusal of something that is not a regular file.</summary>
    public static SockitException NotAFile(string path) =>
        new(SockitErrorCode.InvalidArgument, $"{path} is not a regular file (a pipe, socket or device): only files can be uploaded");

    private static int FileType(SafeFileHandle handle, string path)
    {
        Span<byte> status = stackalloc byte[StatusLength];
        if (Statx(handle, "\0"u8, EmptyPath, TypeField, status) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            throw new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(error)}", error);
        }

        return MemoryMarshal.Read<ushort>(status[ModeOffset..]) & TypeMask;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenDescriptor(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(SafeFileHandle descriptor, ReadOnlySpan<byte> path, int flags, uint mask, Span<byte> status);
}
