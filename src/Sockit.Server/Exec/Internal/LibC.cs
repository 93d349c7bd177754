using System.Runtime.InteropServices;

namespace Sockit.Server.Exec.Internal;

/// <summary>
/// The glibc calls <see cref="SpawnedProcess"/> needs and .NET does not expose: <c>posix_spawn</c> with file actions
/// and attributes, pipes, pseudo-terminals and <c>waitpid</c>. Kept in one place so the constants, which are glibc's
/// values on Linux, are checked once. Opaque glibc objects (<c>posix_spawn_file_actions_t</c>, <c>posix_spawnattr_t</c>,
/// <c>sigset_t</c>) live in unmanaged memory of <see cref="OpaqueSize"/> bytes, larger than glibc's, so that no layout
/// is copied here.
/// </summary>
internal static partial class LibC
{
    /// <summary>Bytes reserved for one opaque glibc object; glibc's largest here is 336 (<c>posix_spawnattr_t</c>).</summary>
    public const int OpaqueSize = 1024;

    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ESRCH = 3;
    public const int ECHILD = 10;
    public const int ENOMEM = 12;
    public const int ENFILE = 23;
    public const int EMFILE = 24;

    public const int O_RDONLY = 0x0;
    public const int O_RDWR = 0x2;
    public const int O_NOCTTY = 0x100;
    public const int O_CLOEXEC = 0x80000;

    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    public const short POSIX_SPAWN_SETPGROUP = 0x02;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    /// <summary>glibc 2.26 and later; starts the child in a new session so a pty slave becomes its controlling terminal.</summary>
    public const short POSIX_SPAWN_SETSID = 0x80;

    /// <summary>Sets a terminal's window size; the value on x86, x86-64 and arm64 Linux (not powerpc, mips or sparc).</summary>
    public const nuint TIOCSWINSZ = 0x5414;

    /// <summary>Reads a terminal's window size (same platforms as <see cref="TIOCSWINSZ"/>).</summary>
    public const nuint TIOCGWINSZ = 0x5413;

    [LibraryImport("libc", EntryPoint = "posix_spawnp", SetLastError = true)]
    public static partial int PosixSpawnp(out int pid, IntPtr file, IntPtr fileActions, IntPtr attributes, IntPtr argv, IntPtr envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init", SetLastError = true)]
    public static partial int FileActionsInit(IntPtr fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy", SetLastError = true)]
    public static partial int FileActionsDestroy(IntPtr fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2", SetLastError = true)]
    public static partial int FileActionsAddDup2(IntPtr fileActions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addclose", SetLastError = true)]
    public static partial int FileActionsAddClose(IntPtr fileActions, int fd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int FileActionsAddOpen(IntPtr fileActions, int fd, string path, int flags, uint mode);

    /// <summary>glibc 2.29 and later; older ones throw <see cref="EntryPointNotFoundException"/>.</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int FileActionsAddChdir(IntPtr fileActions, string path);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init", SetLastError = true)]
    public static partial int AttrInit(IntPtr attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy", SetLastError = true)]
    public static partial int AttrDestroy(IntPtr attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags", SetLastError = true)]
    public static partial int AttrSetFlags(IntPtr attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setpgroup", SetLastError = true)]
    public static partial int AttrSetPgroup(IntPtr attributes, int pgroup);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask", SetLastError = true)]
    public static partial int AttrSetSigMask(IntPtr attributes, IntPtr signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault", SetLastError = true)]
    public static partial int AttrSetSigDefault(IntPtr attributes, IntPtr signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset", SetLastError = true)]
    public static partial int SigEmptySet(IntPtr signals);

    [LibraryImport("libc", EntryPoint = "sigfillset", SetLastError = true)]
    public static partial int SigFillSet(IntPtr signals);

    public const int AF_UNIX = 1;
    public const int SOCK_STREAM = 1;
    public const int SOCK_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    public static partial int SocketPair(int domain, int type, int protocol, Span<int> fds);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    public static partial int PosixOpenpt(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    public static partial int Grantpt(int fd);

    [LibraryImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    public static partial int Unlockpt(int fd);

    /// <summary>Returns 0 or an error number (not through errno).</summary>
    [LibraryImport("libc", EntryPoint = "ptsname_r", SetLastError = true)]
    public static partial int PtsnameR(int fd, Span<byte> buffer, nuint length);

    /// <summary>
    /// <c>ioctl</c> is variadic; a fixed pointer third argument is passed the same way on x86-64 and arm64 Linux.
    /// <paramref name="winsize"/> is <c>struct winsize</c>: rows, columns, x pixels, y pixels.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlWinsize(int fd, nuint request, Span<ushort> winsize);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    public static partial int Waitpid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    public const int WNOHANG = 1;
    public const int EAGAIN = 11;
    public const short POLLIN = 0x1;
    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;

    /// <summary>A descriptor that refers to process <paramref name="pid"/> and turns readable when it exits (Linux 5.3, glibc 2.36).</summary>
    [LibraryImport("libc", EntryPoint = "pidfd_open", SetLastError = true)]
    public static partial int PidfdOpen(int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, Span<byte> buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, ReadOnlySpan<byte> buffer, nuint count);

    /// <summary><paramref name="fds"/> is an array of <c>struct pollfd</c>.</summary>
    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(Span<PollDescriptor> fds, nuint count, int timeoutMilliseconds);
}
