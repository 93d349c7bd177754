using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sockit.Server.Files.Jail;

/// <summary>
/// The Linux calls <see cref="HomeJail"/> needs and .NET does not expose: <c>openat2</c> (through <c>syscall</c>, as
/// glibc has no wrapper), the <c>*at</c> calls on one name, <c>statx</c>, <c>getdents64</c>, <c>flock</c> and
/// <c>fsync</c>. Kept in one place so the constants are checked once. Error numbers are the generic Linux ones, the
/// same on every architecture .NET runs on; the open flags that differ between architectures are chosen at start-up.
/// </summary>
internal static partial class JailLibC
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int ENXIO = 6;
    public const int EAGAIN = 11;
    public const int EWOULDBLOCK = EAGAIN;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int EFBIG = 27;
    public const int ENOSPC = 28;
    public const int EROFS = 30;
    public const int ENAMETOOLONG = 36;
    public const int ENOSYS = 38;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;
    public const int EDQUOT = 122;

    public const int O_RDONLY = 0x0;
    public const int O_RDWR = 0x2;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_NOCTTY = 0x100;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
    public const int O_PATH = 0x200000;

    // arm, arm64 and powerpc number these two apart from the generic table that x86-64 and riscv64 use.
    private static readonly bool ArmFlagTable =
        RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Ppc64le;

    public static readonly int O_DIRECTORY = ArmFlagTable ? 0x4000 : 0x10000;
    public static readonly int O_NOFOLLOW = ArmFlagTable ? 0x8000 : 0x20000;

    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_REMOVEDIR = 0x200;
    public const int AT_NO_AUTOMOUNT = 0x800;
    public const int AT_EMPTY_PATH = 0x1000;

    /// <summary>Refuse to cross a mount point (a bind mount of <c>/</c> inside a home leads nowhere).</summary>
    public const ulong RESOLVE_NO_XDEV = 0x01;

    /// <summary>Refuse <c>/proc/PID/fd/N</c>-style links, which jump to any open file.</summary>
    public const ulong RESOLVE_NO_MAGICLINKS = 0x02;

    /// <summary>Refuse every symbolic link, the last name included (unless <c>O_PATH | O_NOFOLLOW</c>, which opens the link).</summary>
    public const ulong RESOLVE_NO_SYMLINKS = 0x04;

    /// <summary>Refuse any path that would leave the folder it starts from, absolute paths and <c>..</c> included.</summary>
    public const ulong RESOLVE_BENEATH = 0x08;

    /// <summary>
    /// What every lookup inside a home uses: no symbolic links (the last name included), no <c>/proc</c> magic links,
    /// no mount points and nothing above the starting folder, all checked by the kernel while it walks.
    /// </summary>
    public const ulong ResolveInside = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;

    public const uint RENAME_NOREPLACE = 0x1;

    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int LOCK_UN = 8;

    public const int SEEK_SET = 0;

    /// <summary>Type, mode, link count, ids, times, inode, size and blocks.</summary>
    public const uint STATX_BASIC_STATS = 0x7FF;

    /// <summary>The same on every architecture: syscalls from 424 on share one table.</summary>
    private const nint SYS_openat2 = 437;

    private const int OpenHowSize = 24;

    // How often a lookup that the kernel asked to retry (EAGAIN, a rename race) or a signal cut short is tried again.
    private const int OpenAttempts = 8;

    /// <summary>
    /// <c>openat2(folder, path, how)</c>; null with <paramref name="errno"/> set on failure. Retries on EINTR, and on
    /// EAGAIN, which <c>RESOLVE_BENEATH</c> returns when a concurrent rename might have let a walk escape.
    /// </summary>
    public static SafeFileHandle? OpenAt2(SafeFileHandle folder, ReadOnlySpan<byte> path, int flags, uint mode, ulong resolve, out int errno)
    {
        var added = false;
        try
        {
            folder.DangerousAddRef(ref added);
            return OpenAt2(folder.DangerousGetHandle(), path, flags, mode, resolve, out errno);
        }
        finally
        {
            if (added)
            {
                folder.DangerousRelease();
            }
        }
    }

    /// <summary>The same with a raw descriptor, for <see cref="AT_FDCWD"/>.</summary>
    public static SafeFileHandle? OpenAt2(nint folder, ReadOnlySpan<byte> path, int flags, uint mode, ulong resolve, out int errno)
    {
        var how = new OpenHow((ulong)flags, mode, resolve);
        for (var attempt = 1; ; attempt++)
        {
            var fd = Syscall(SYS_openat2, folder, path, in how, OpenHowSize);
            if (fd >= 0)
            {
                errno = 0;
                return new SafeFileHandle(fd, ownsHandle: true);
            }

            errno = Marshal.GetLastPInvokeError();
            if (errno is not (EAGAIN or EINTR) || attempt == OpenAttempts)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// <c>syscall</c> is variadic; integer and pointer arguments travel in the same registers as for a fixed
    /// signature on x86-64 and arm64 Linux, and <c>nint</c> keeps the descriptor's upper bits defined.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial nint Syscall(nint number, nint folder, ReadOnlySpan<byte> path, in OpenHow how, nuint size);

    /// <summary><paramref name="path"/> must end with a NUL; <c>""</c> with <see cref="AT_EMPTY_PATH"/> means the descriptor itself.</summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    public static partial int Statx(SafeFileHandle folder, ReadOnlySpan<byte> path, int flags, uint mask, out FileStatus status);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true)]
    public static partial int MkdirAt(SafeFileHandle folder, ReadOnlySpan<byte> name, uint mode);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true)]
    public static partial int UnlinkAt(SafeFileHandle folder, ReadOnlySpan<byte> name, int flags);

    /// <summary>glibc 2.28 and later.</summary>
    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    public static partial int RenameAt2(SafeFileHandle fromFolder, ReadOnlySpan<byte> fromName, SafeFileHandle toFolder, ReadOnlySpan<byte> toName, uint flags);

    /// <summary>glibc 2.30 and later. Fills <paramref name="buffer"/> with <c>struct linux_dirent64</c> records.</summary>
    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    public static partial nint GetDents64(SafeFileHandle folder, Span<byte> buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    public static partial long LSeek(SafeFileHandle fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(SafeFileHandle fd, int operation);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(SafeFileHandle fd);

    /// <summary>The nanoseconds value that leaves a time as it is.</summary>
    public const long UTIME_OMIT = (1L << 30) - 2;

    /// <summary>
    /// <paramref name="times"/> is <c>struct timespec[2]</c> (access, then modification), seconds then nanoseconds,
    /// each a C <c>long</c>: the width of <see langword="nint"/> on Linux.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    public static partial int Futimens(SafeFileHandle fd, ReadOnlySpan<nint> times);
}
