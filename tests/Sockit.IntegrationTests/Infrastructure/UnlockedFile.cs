using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>
/// Reads a file as a program that takes no locks does. .NET takes a shared <c>flock</c> on each file it opens by name
/// for reading, and a file the server has just renamed into place still carries the upload's exclusive lock until the
/// server closes it: opened the usual way it would look busy, for a moment, to a test that checks it at once.
/// </summary>
internal static partial class UnlockedFile
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;

    /// <summary>The file's SHA-256 in lower-case hex.</summary>
    public static string Sha256(string path)
    {
        int descriptor = Open(path, ReadOnly | CloseOnExec);
        if (descriptor < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        // A stream over a handle takes no lock; only opening by name does.
        using var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        using var file = new FileStream(handle, FileAccess.Read);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);
}
