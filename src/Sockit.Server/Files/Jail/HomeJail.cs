using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Sockit.Protocol.Errors;
using static Sockit.Server.Files.Jail.JailLibC;

namespace Sockit.Server.Files.Jail;

/// <summary>
/// One user's home folder, which nothing done through this type can leave. It holds an <c>O_PATH</c> descriptor of the
/// home and reaches every path through <c>openat2</c> relative to it with <c>RESOLVE_BENEATH</c>,
/// <c>RESOLVE_NO_SYMLINKS</c>, <c>RESOLVE_NO_MAGICLINKS</c> and <c>RESOLVE_NO_XDEV</c>: the kernel checks each name as
/// it walks, at the moment of use, so a link swapped in after any check of ours is refused all the same
/// (<see cref="SockitErrorCode.OutsideHome"/>). The last name of a path is acted on with the <c>*at</c> calls on its
/// folder's descriptor, never following a link: a link is reported, deleted or moved as itself.
/// </summary>
/// <remarks>
/// <para>
/// Only regular files are ever opened for their content. A device, FIFO or socket is refused with
/// <see cref="SockitErrorCode.SpecialFile"/> before any open that could reach a driver or block: the name is first
/// opened with <c>O_PATH</c>, which opens nothing, then checked, then reopened through <c>/proc/self/fd</c>, which
/// reaches exactly the inode that was checked.
/// </para>
/// <para>
/// Uploads grow in a hidden sibling of the target, <c>.NAME.sockit-part</c> (see <see cref="JailPath.PartialNameOf"/>),
/// locked with <c>flock</c> while an upload holds it, and are renamed over the target on <see cref="Commit"/>. Such
/// names cannot be named by a client and are left out of listings.
/// </para>
/// <para>
/// Every method is synchronous and safe to call from several threads at once; errors are <see cref="SockitException"/>
/// with a stable code and a message that names the path as the client wrote it.
/// </para>
/// </remarks>
public sealed class HomeJail : IDisposable
{
    /// <summary>The most entries <see cref="ListSorted"/> gathers unless told otherwise.</summary>
    public const int DefaultMaxSortedEntries = 100_000;

    // Owner only: other OS users of the server's machine have no business in a home.
    private const uint FolderMode = 0x1C0; // 0700
    private const uint PartialMode = 0x180; // 0600

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    // How often an upload retries when the partial file it found vanishes or is replaced under it.
    private const int UploadOpenAttempts = 4;

    private readonly SafeFileHandle _home;

    private HomeJail(SafeFileHandle home, string userName)
    {
        _home = home;
        UserName = userName;
    }

    /// <summary>The user whose home this is.</summary>
    public string UserName { get; }

    /// <summary>
    /// Where this process's descriptors can be reopened; tests point it at a missing folder to exercise the path taken
    /// where <c>/proc</c> is not mounted.
    /// </summary>
    internal string DescriptorFolder { get; set; } = "/proc/self/fd";

    /// <summary>Called before each folder <see cref="Delete"/> opens on a recursive walk; tests race a link in there.</summary>
    internal Action? BeforeFolderOpenedForRemoval { get; set; }

    /// <summary>
    /// Where homes live unless configured: <c>$XDG_DATA_HOME/sockit/homes</c>, else <c>~/.local/share/sockit/homes</c>,
    /// in the data folder of the OS user the server runs as. A relative <c>XDG_DATA_HOME</c> is ignored, as the XDG
    /// specification says.
    /// </summary>
    public static string DefaultDataRoot(Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        var dataHome = getEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(dataHome) || !Path.IsPathFullyQualified(dataHome))
        {
            var home = getEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }

            dataHome = Path.Combine(home, ".local", "share");
        }

        return Path.Combine(dataHome, "sockit", "homes");
    }

    /// <summary>
    /// Opens the home of <paramref name="userName"/>, <c>dataRoot/userName</c>, creating the data root and the home
    /// (owner-only, 0700) when missing. Existing folders keep the mode they have.
    /// </summary>
    /// <param name="dataRoot">The folder that holds every home; links on the way to it are the administrator's and are followed.</param>
    /// <param name="userName">
    /// The account's name, which must be a valid <see cref="JailPath"/> name (so no <c>/</c>, NUL, <c>.</c> or <c>..</c>).
    /// The home itself must be a real folder, not a link.
    /// </param>
    /// <exception cref="SockitException">
    /// <see cref="SockitErrorCode.NotSupported"/> on any OS but Linux (5.6 or later);
    /// <see cref="SockitErrorCode.InvalidName"/> for a user name that could not be a folder's name; the mapped code when
    /// the data root or the home cannot be created or opened.
    /// </exception>
    public static HomeJail Open(string dataRoot, string userName)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataRoot);
        ArgumentNullException.ThrowIfNull(userName);
        if (!OperatingSystem.IsLinux())
        {
            throw new SockitException(SockitErrorCode.NotSupported, "homes need Linux: openat2 keeps every path inside them");
        }

        if (!JailPath.IsValidName(userName))
        {
            throw new SockitException(SockitErrorCode.InvalidName, "the user name cannot be the name of a home folder");
        }

        var root = Path.GetFullPath(dataRoot);
        var name = JailPath.NativeName(userName);

        // Every request opens its home: most find the data root and the home in place, so they are opened first, and
        // created only when that fails (the first use, or removed since).
        return TryOpenHome(root, name, userName) ?? CreateHome(root, name, userName);
    }

    /// <summary>
    /// Opens an existing home; null when that fails for any reason, which the way through <see cref="CreateHome"/>
    /// then creates or reports as it always did.
    /// </summary>
    private static HomeJail? TryOpenHome(string root, byte[] name, string userName)
    {
        using var rootFolder = OpenAt2(AT_FDCWD, JailPath.NativeName(root), O_PATH | O_DIRECTORY | O_CLOEXEC, 0, 0, out _);
        var home = rootFolder is null ? null : OpenHomeIn(rootFolder, name, out _);
        return home is null ? null : new HomeJail(home, userName);
    }

    [UnsupportedOSPlatform("windows")]
    private static HomeJail CreateHome(string root, byte[] name, string userName)
    {
        try
        {
            Directory.CreateDirectory(root, OwnerOnly);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new SockitException(SockitErrorCode.InternalError, "cannot create the data root for homes", exception);
        }

        using var rootFolder = OpenAt2(AT_FDCWD, JailPath.NativeName(root), O_PATH | O_DIRECTORY | O_CLOEXEC, 0, 0, out var errno)
            ?? throw JailErrors.For(errno, "cannot open the data root for homes");
        if (MkdirAt(rootFolder, name, FolderMode) != 0 && Marshal.GetLastPInvokeError() is var mkdirErrno && mkdirErrno != EEXIST)
        {
            throw JailErrors.For(mkdirErrno, "cannot create the home folder");
        }

        var home = OpenHomeIn(rootFolder, name, out errno) ?? throw JailErrors.For(errno, "cannot open the home folder");
        return new HomeJail(home, userName);
    }

    // No link for the home itself: whoever can write to the data root could otherwise point a home anywhere.
    private static SafeFileHandle? OpenHomeIn(SafeFileHandle rootFolder, byte[] name, out int errno) =>
        OpenAt2(rootFolder, name, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, out errno);

    /// <summary>What <paramref name="path"/> is, without following a link (a link is reported as <see cref="JailEntryKind.Link"/>).</summary>
    public JailEntry Stat(JailPath path)
    {
        var what = $"cannot stat {path}";
        if (path.IsRoot)
        {
            return JailEntry.From(string.Empty, StatHandle(_home, what));
        }

        using var parent = OpenFolder(path.Parent, O_PATH, what);
        return TryStatAt(parent, JailPath.NativeName(path.Name), out var status, out var errno)
            ? JailEntry.From(path.Name, status)
            : throw JailErrors.For(errno, what);
    }

    /// <summary>
    /// The entries of the folder <paramref name="folder"/>, read a few kilobytes at a time as they are enumerated, in
    /// the file system's order. Links are reported, not followed. Left out: partial uploads, and names a client could
    /// not name (invalid UTF-8, control characters), which a recursive <see cref="Delete"/> still removes and
    /// <see cref="UsedBytes"/> still counts. A name removed while the folder is read is skipped.
    /// </summary>
    /// <remarks>
    /// The folder is opened now, so a missing folder throws here rather than when enumerated; enumerate the result
    /// once, or it holds a descriptor until it is collected.
    /// </remarks>
    public IEnumerable<JailEntry> List(JailPath folder)
    {
        var what = $"cannot list {folder}";
        return Enumerate(OpenFolder(folder, O_RDONLY, what), folder, what);
    }

    /// <summary>
    /// The entries of <paramref name="folder"/> as <see cref="List"/> gives them, sorted by the ordinal order of their
    /// names' UTF-8 bytes (the code point order: "B" before "a", "é" after "z"). Sorting needs every entry in memory, so
    /// a folder with more than <paramref name="maxEntries"/> entries is refused with
    /// <see cref="SockitErrorCode.InvalidArgument"/>; list it unsorted instead.
    /// </summary>
    public IReadOnlyList<JailEntry> ListSorted(JailPath folder, int maxEntries = DefaultMaxSortedEntries)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        var entries = new List<JailEntry>();
        foreach (var entry in List(folder))
        {
            if (entries.Count == maxEntries)
            {
                throw new SockitException(
                    SockitErrorCode.InvalidArgument, $"{folder} has more than {maxEntries} entries, too many to sort; list it unsorted");
            }

            entries.Add(entry);
        }

        entries.Sort(static (x, y) => CompareUtf8(x.Name, y.Name));
        return entries;
    }

    /// <summary>
    /// Creates the folder <paramref name="path"/>, owner-only (0700). With <paramref name="parents"/>, creates every
    /// missing folder on the way and accepts folders that exist, as <c>mkdir -p</c>; a file on the way is
    /// <see cref="SockitErrorCode.NotAFolder"/>. Without it, the folder above must exist and the name must be free
    /// (<see cref="SockitErrorCode.AlreadyExists"/>).
    /// </summary>
    /// <returns>The disk space the folders it made take, as <see cref="UsedBytes"/> counts it.</returns>
    public long CreateFolder(JailPath path, bool parents)
    {
        var what = $"cannot create the folder {path}";
        if (!parents)
        {
            if (path.IsRoot)
            {
                throw new SockitException(SockitErrorCode.AlreadyExists, $"{what}: the home always exists");
            }

            using var parent = OpenFolder(path.Parent, O_PATH, what);
            var folderName = JailPath.NativeName(path.Name);
            if (MkdirAt(parent, folderName, FolderMode) != 0)
            {
                throw JailErrors.ForLast(what);
            }

            return TryStatAt(parent, folderName, out var made, out _) ? made.AllocatedBytes : 0;
        }

        // One name at a time, each opened before the next is made in it, so no link met on the way is ever followed.
        var current = OpenFolder(JailPath.Root, O_PATH, what);
        long allocated = 0;
        try
        {
            foreach (var component in path.Components)
            {
                var name = JailPath.NativeName(component);
                bool made = MkdirAt(current, name, FolderMode) == 0;
                if (!made && Marshal.GetLastPInvokeError() is var errno && errno != EEXIST)
                {
                    throw JailErrors.For(errno, what);
                }

                var next = OpenAt2(current, name, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, ResolveInside, out var openErrno)
                    ?? throw JailErrors.For(openErrno, what);
                current.Dispose();
                current = next;
                if (made)
                {
                    allocated += StatHandle(current, what).AllocatedBytes;
                }
            }
        }
        finally
        {
            current.Dispose();
        }

        return allocated;
    }

    /// <summary>
    /// Deletes <paramref name="path"/>. A file, link or special file is unlinked (a link's target is untouched). A
    /// folder needs <paramref name="recursive"/>, else <see cref="SockitErrorCode.IsAFolder"/>; then everything in it
    /// goes, hidden partial uploads and names a listing leaves out included, walked with descriptors and never through
    /// a link. The home itself is never deleted (<see cref="SockitErrorCode.InvalidArgument"/>).
    /// </summary>
    public void Delete(JailPath path, bool recursive)
    {
        var what = $"cannot delete {path}";
        RefuseHome(path, what);
        using var parent = OpenFolder(path.Parent, O_PATH, what);
        var name = JailPath.NativeName(path.Name);
        if (UnlinkAt(parent, name, 0) == 0)
        {
            return;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno != EISDIR)
        {
            throw JailErrors.For(errno, what);
        }

        if (!recursive)
        {
            throw new SockitException(SockitErrorCode.IsAFolder, $"{what}: it is a folder; delete it recursively");
        }

        TreeRemover.Remove(parent, name, what, BeforeFolderOpenedForRemoval);
    }

    /// <summary>
    /// Removes the empty folder <paramref name="path"/>, as <c>rmdir</c>: <see cref="SockitErrorCode.NotEmpty"/> when
    /// anything is in it (a partial upload or a name a listing leaves out included),
    /// <see cref="SockitErrorCode.NotAFolder"/> for a file or link.
    /// </summary>
    public void RemoveFolder(JailPath path)
    {
        var what = $"cannot remove the folder {path}";
        RefuseHome(path, what);
        using var parent = OpenFolder(path.Parent, O_PATH, what);
        if (UnlinkAt(parent, JailPath.NativeName(path.Name), AT_REMOVEDIR) != 0)
        {
            throw JailErrors.ForLast(what);
        }
    }

    /// <summary>
    /// Renames <paramref name="from"/> to <paramref name="to"/> (files, folders and links alike; a link moves as
    /// itself). Without <paramref name="overwrite"/> a taken name is <see cref="SockitErrorCode.AlreadyExists"/>; with
    /// it, a file or link there is replaced, and so is an empty folder when a folder moves (a full one is
    /// <see cref="SockitErrorCode.NotEmpty"/>). Moving the home, onto the home, or a folder into itself is
    /// <see cref="SockitErrorCode.InvalidArgument"/>.
    /// </summary>
    public void Move(JailPath from, JailPath to, bool overwrite)
    {
        var what = $"cannot move {from} to {to}";
        RefuseHome(from, what);
        RefuseHome(to, what);
        if (to.IsWithin(from) && !to.Equals(from))
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"{what}: a folder cannot move into itself");
        }

        using var fromParent = OpenFolder(from.Parent, O_PATH, what);
        using var toParent = OpenFolder(to.Parent, O_PATH, what);
        var flags = overwrite ? 0 : RENAME_NOREPLACE;
        if (RenameAt2(fromParent, JailPath.NativeName(from.Name), toParent, JailPath.NativeName(to.Name), flags) != 0)
        {
            throw JailErrors.ForLast(what);
        }
    }

    /// <summary>
    /// Opens the regular file <paramref name="path"/> for reading. A folder is <see cref="SockitErrorCode.IsAFolder"/>,
    /// a link <see cref="SockitErrorCode.OutsideHome"/>, a device, FIFO or socket <see cref="SockitErrorCode.SpecialFile"/>,
    /// none of them opened. The caller owns the handle.
    /// </summary>
    public SafeFileHandle OpenRead(JailPath path)
    {
        var what = $"cannot read {path}";
        if (path.IsRoot)
        {
            throw new SockitException(SockitErrorCode.IsAFolder, $"{what}: it is the home folder");
        }

        using var parent = OpenFolder(path.Parent, O_PATH, what);
        return OpenRegular(parent, JailPath.NativeName(path.Name), O_RDONLY, what);
    }

    /// <summary>
    /// Opens, creating it when missing (0600), the partial file an upload to <paramref name="target"/> writes into, and
    /// locks it: a second upload of the same target while the first holds it is <see cref="SockitErrorCode.Busy"/>. An
    /// existing partial file is kept as it is, so an interrupted upload resumes from
    /// <see cref="JailUpload.ExistingLength"/>. A target that is a folder is <see cref="SockitErrorCode.IsAFolder"/>;
    /// one that exists at all, unless <paramref name="overwrite"/>, is <see cref="SockitErrorCode.AlreadyExists"/>, before
    /// any partial is made.
    /// </summary>
    /// <remarks>
    /// The partial's name is 13 bytes longer than the target's, so a target name over 242 bytes cannot be uploaded
    /// (<see cref="SockitErrorCode.InvalidName"/>).
    /// </remarks>
    public JailUpload OpenForUpload(JailPath target, bool overwrite)
    {
        var what = $"cannot upload {target}";
        var partialName = PartialNativeName(target, what);
        using var parent = OpenFolder(target.Parent, O_PATH, what);
        long replaced = ReplacedLength(parent, target, overwrite, what);
        for (var attempt = 1; ; attempt++)
        {
            var partial = OpenAt2(parent, partialName, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, PartialMode, ResolveInside, out var errno);
            if (partial is null && errno != EEXIST)
            {
                throw JailErrors.For(errno, what);
            }

            if (partial is not null)
            {
                // Made just now, and empty. Should a removal take it before the lock below, the commit finds its name gone.
                LockForUpload(partial, what);
                return new JailUpload(partial, 0, replaced);
            }

            try
            {
                partial ??= OpenRegular(parent, partialName, O_RDWR, what);
            }
            catch (SockitException exception) when (exception.Code == SockitErrorCode.NotFound && attempt < UploadOpenAttempts)
            {
                continue; // committed or discarded between our two opens: start a new one
            }

            LockForUpload(partial, what);

            // The upload that held the lock may have committed or discarded the file before letting go; then this
            // descriptor is a file nobody will see again, and a fresh partial is needed.
            var status = StatHandle(partial, what);
            if (!TryStatAt(parent, partialName, out var named, out _) || !named.IsSameFile(status))
            {
                partial.Dispose();
                if (attempt < UploadOpenAttempts)
                {
                    continue;
                }

                throw new SockitException(SockitErrorCode.Busy, $"{what}: its partial file keeps changing; try again later");
            }

            return new JailUpload(partial, (long)status.Size, replaced);
        }
    }

    /// <summary>
    /// The disk space freed when an upload replaces <paramref name="target"/>, as <see cref="UsedBytes"/> counts it: 0
    /// for none, for a link or special file (the rename replaces the name, not what it points to), or for a file with
    /// another hard link. Refuses a folder, and anything without <paramref name="overwrite"/>.
    /// </summary>
    private static long ReplacedLength(SafeFileHandle parent, JailPath target, bool overwrite, string what)
    {
        if (!TryStatAt(parent, JailPath.NativeName(target.Name), out var existing, out var errno))
        {
            return errno == ENOENT ? 0 : throw JailErrors.For(errno, what);
        }

        if (existing.Kind == JailEntryKind.Folder)
        {
            throw new SockitException(SockitErrorCode.IsAFolder, $"{what}: it is a folder");
        }

        if (!overwrite)
        {
            throw new SockitException(SockitErrorCode.AlreadyExists, $"{target} exists; upload with overwrite to replace it");
        }

        // What the home's usage counts: its blocks, and nothing for a file still linked elsewhere.
        return existing.Kind == JailEntryKind.File && existing.LinkCount == 1 ? existing.AllocatedBytes : 0;
    }

    /// <summary>Takes the upload's lock on its partial, or disposes it: held by another upload, it is busy.</summary>
    private static void LockForUpload(SafeFileHandle partial, string what)
    {
        if (Flock(partial, LOCK_EX | LOCK_NB) != 0)
        {
            var lockErrno = Marshal.GetLastPInvokeError();
            partial.Dispose();
            throw lockErrno == EWOULDBLOCK
                ? new SockitException(SockitErrorCode.Busy, $"{what}: another upload of it is in progress")
                : JailErrors.For(lockErrno, what);
        }
    }

    /// <summary>
    /// Finishes an upload: flushes <paramref name="partial"/> to disk, renames it over <paramref name="target"/> and
    /// flushes the folder, so the file is either absent or complete after a crash. Without <paramref name="overwrite"/>
    /// an existing target is <see cref="SockitErrorCode.AlreadyExists"/> and the partial stays, for a retry with
    /// overwrite. A partial that was moved or discarded meanwhile is <see cref="SockitErrorCode.NotFound"/>. The caller
    /// still owns and disposes <paramref name="partial"/>.
    /// </summary>
    public void Commit(JailPath target, SafeFileHandle partial, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(partial);
        var what = $"cannot commit the upload of {target}";
        var partialName = PartialNativeName(target, what);
        if (Fsync(partial) != 0)
        {
            throw JailErrors.ForLast(what);
        }

        // Readable rather than O_PATH: fsync needs a real descriptor of the folder.
        using var parent = OpenFolder(target.Parent, O_RDONLY, what);
        var status = StatHandle(partial, what);
        if (!TryStatAt(parent, partialName, out var named, out _) || !named.IsSameFile(status))
        {
            throw new SockitException(SockitErrorCode.NotFound, $"{what}: its partial file was moved or discarded");
        }

        var flags = overwrite ? 0 : RENAME_NOREPLACE;
        if (RenameAt2(parent, partialName, parent, JailPath.NativeName(target.Name), flags) != 0)
        {
            throw JailErrors.ForLast(what);
        }

        if (Fsync(parent) != 0)
        {
            throw JailErrors.ForLast($"{what} durably (it is in place, but may not survive a crash)");
        }
    }

    /// <summary>
    /// Deletes the partial file of an upload to <paramref name="target"/>; false when there was none. A partial that
    /// an upload still holds is <see cref="SockitErrorCode.Busy"/>: dispose the upload's handle first.
    /// </summary>
    public bool DiscardPartial(JailPath target)
    {
        var what = $"cannot discard the partial upload of {target}";
        var partialName = PartialNativeName(target, what);
        using var parent = OpenFolder(target.Parent, O_PATH, what);
        if (!TryStatAt(parent, partialName, out var status, out var errno))
        {
            return errno == ENOENT ? false : throw JailErrors.For(errno, what);
        }

        // Whatever else sits under a partial's name is removed without being opened; a regular one is locked first, so
        // an upload in progress is not pulled from under its writer. The lock is held until the name is gone.
        using var locked = status.Kind == JailEntryKind.File ? OpenRegular(parent, partialName, O_RDONLY, what) : null;
        if (locked is not null && Flock(locked, LOCK_EX | LOCK_NB) != 0)
        {
            var lockErrno = Marshal.GetLastPInvokeError();
            throw lockErrno == EWOULDBLOCK
                ? new SockitException(SockitErrorCode.Busy, $"{what}: an upload of it is in progress")
                : JailErrors.For(lockErrno, what);
        }

        if (UnlinkAt(parent, partialName, 0) != 0)
        {
            var unlinkErrno = Marshal.GetLastPInvokeError();
            return unlinkErrno == ENOENT ? false : throw JailErrors.For(unlinkErrno, what);
        }

        return true;
    }

    /// <summary>The bytes an unfinished upload of <paramref name="target"/> holds, so a client knows where to resume; 0 when none.</summary>
    public long PartialLength(JailPath target)
    {
        var what = $"cannot read the partial upload of {target}";
        var partialName = PartialNativeName(target, what);
        using var parent = OpenFolder(target.Parent, O_PATH, what);
        if (!TryStatAt(parent, partialName, out var status, out var errno))
        {
            return errno == ENOENT ? 0 : throw JailErrors.For(errno, what);
        }

        return status.Kind == JailEntryKind.File
            ? (long)status.Size
            : throw new SockitException(SockitErrorCode.SpecialFile, $"{what}: it is not a regular file");
    }

    /// <summary>
    /// The bytes everything in the home takes on disk: files (by allocated blocks, so a sparse file counts what it
    /// really uses), folders, links, partial uploads and names a listing leaves out, each hard-linked file once.
    /// </summary>
    /// <remarks>
    /// Walks the whole home, one <c>statx</c> per name, nothing cached: the cost grows with the number of names, not
    /// their size. A quota check on every write should keep its own running total and call this now and then.
    /// </remarks>
    public long UsedBytes()
    {
        const string What = "cannot measure the home";
        var total = StatHandle(_home, What).AllocatedBytes;
        var seenLinked = new HashSet<(ulong Device, ulong Inode)>();
        var stack = new Stack<DirectoryReader>();
        try
        {
            stack.Push(new DirectoryReader(OpenFolder(JailPath.Root, O_RDONLY, What), What));
            while (stack.Count > 0)
            {
                var reader = stack.Peek();
                if (reader.Next() is not { } name)
                {
                    stack.Pop().Dispose();
                    continue;
                }

                if (!TryStatAt(reader.Folder, name, out var status, out var errno))
                {
                    if (errno != ENOENT)
                    {
                        throw JailErrors.For(errno, What);
                    }

                    continue;
                }

                var kind = status.Kind;
                if (kind != JailEntryKind.Folder && status.LinkCount > 1 && !seenLinked.Add((status.Device, status.Inode)))
                {
                    continue;
                }

                total += status.AllocatedBytes;
                if (kind == JailEntryKind.Folder)
                {
                    var folder = OpenAt2(reader.Folder, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, ResolveInside, out errno);
                    if (folder is not null)
                    {
                        stack.Push(new DirectoryReader(folder, What));
                    }
                    else if (errno is not (ENOENT or ELOOP or ENOTDIR or EXDEV))
                    {
                        // ENOENT, ELOOP and ENOTDIR: removed or replaced since it was seen, so nothing of it to count.
                        // EXDEV: a mount point, whose content is another file system's and no client's to fill.
                        throw JailErrors.For(errno, What);
                    }
                }
            }
        }
        finally
        {
            foreach (var reader in stack)
            {
                reader.Dispose();
            }
        }

        return total;
    }

    /// <summary>Closes the home's descriptor. Handles returned earlier stay usable.</summary>
    public void Dispose() => _home.Dispose();

    private IEnumerable<JailEntry> Enumerate(SafeFileHandle opened, JailPath folder, string what)
    {
        // An iterator runs from the top for every enumeration: the first uses the descriptor List opened, so its errors
        // came from List; a later one, finding it closed, opens the folder again.
        using var reader = new DirectoryReader(opened.IsClosed ? OpenFolder(folder, O_RDONLY, what) : opened, what);
        while (reader.Next() is { } name)
        {
            if (JailPath.FromDisk(name.AsSpan(0, name.Length - 1)) is not { } text)
            {
                continue;
            }

            if (TryStatAt(reader.Folder, name, out var status, out var errno))
            {
                yield return JailEntry.From(text, status);
            }
            else if (errno != ENOENT)
            {
                throw JailErrors.For(errno, what);
            }
        }
    }

    // Opens a folder of the home, every name on the way checked by the kernel now (see the class remarks).
    private SafeFileHandle OpenFolder(JailPath folder, int access, string what) =>
        OpenAt2(_home, folder.ToNativePath(), access | O_DIRECTORY | O_CLOEXEC, 0, ResolveInside, out var errno)
        ?? throw JailErrors.For(errno, what);

    // Opens a regular file without ever opening anything else: the name is pinned with O_PATH (no driver's open runs,
    // no FIFO blocks, a link is opened as itself), checked, then reopened through /proc/self/fd, which reaches exactly
    // the checked inode whatever happens to the name meanwhile.
    private SafeFileHandle OpenRegular(SafeFileHandle parent, byte[] name, int access, string what)
    {
        using var pinned = OpenAt2(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, ResolveInside, out var errno)
            ?? throw JailErrors.For(errno, what);
        var status = StatHandle(pinned, what);
        switch (status.Kind)
        {
            case JailEntryKind.Folder:
                throw new SockitException(SockitErrorCode.IsAFolder, $"{what}: it is a folder");
            case JailEntryKind.Link:
                throw new SockitException(SockitErrorCode.OutsideHome, $"{what}: it is a link, and links are not followed");
            case JailEntryKind.Special:
                throw new SockitException(SockitErrorCode.SpecialFile, $"{what}: it is a device, FIFO or socket");
        }

        var procPath = Encoding.ASCII.GetBytes($"{DescriptorFolder}/{pinned.DangerousGetHandle()}\0");
        var opened = OpenAt2(AT_FDCWD, procPath, access | O_NOCTTY | O_CLOEXEC, 0, 0, out errno);
        if (opened is not null)
        {
            return opened;
        }

        if (errno != ENOENT)
        {
            throw JailErrors.For(errno, what);
        }

        // No /proc: open the name itself, non-blocking so that a FIFO swapped in cannot hang us, and make sure it is
        // still the file that was checked.
        opened = OpenAt2(parent, name, access | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0, ResolveInside, out errno)
            ?? throw JailErrors.For(errno, what);
        if (!StatHandle(opened, what).IsSameFile(status))
        {
            opened.Dispose();
            throw new SockitException(SockitErrorCode.Busy, $"{what}: it was replaced while being opened; try again");
        }

        return opened;
    }

    private static bool TryStatAt(SafeFileHandle folder, byte[] name, out FileStatus status, out int errno)
    {
        if (Statx(folder, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_BASIC_STATS, out status) == 0)
        {
            errno = 0;
            return true;
        }

        errno = Marshal.GetLastPInvokeError();
        return false;
    }

    /// <summary>
    /// Sets the modification time of an open file, leaving its access time: one call, where
    /// <see cref="File.SetLastWriteTimeUtc(SafeFileHandle, DateTime)"/> first reads the access time back.
    /// </summary>
    public static void SetModifiedTime(SafeFileHandle file, DateTime utc, string what)
    {
        long ticks = utc.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }

        ReadOnlySpan<nint> times = [0, (nint)UTIME_OMIT, (nint)seconds, (nint)(rest * 100)];
        if (Futimens(file, times) != 0)
        {
            throw JailErrors.ForLast(what);
        }
    }

    /// <summary>The status of an open file (<c>statx</c> of the descriptor itself).</summary>
    internal static FileStatus StatHandle(SafeFileHandle handle, string what) =>
        Statx(handle, "\0"u8, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, out var status) == 0
            ? status
            : throw JailErrors.ForLast(what);

    private static byte[] PartialNativeName(JailPath target, string what)
    {
        if (target.IsRoot)
        {
            throw new SockitException(SockitErrorCode.IsAFolder, $"{what}: it is the home folder");
        }

        var name = JailPath.NativeName(JailPath.PartialNameOf(target.Name));
        return name.Length - 1 <= JailPath.MaxNameBytes
            ? name
            : throw new SockitException(
                SockitErrorCode.InvalidName,
                $"{what}: a name to upload is at most {JailPath.MaxNameBytes - JailPath.PartialNameOf(string.Empty).Length} bytes");
    }

    private static void RefuseHome(JailPath path, string what)
    {
        if (path.IsRoot)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"{what}: that is the home itself");
        }
    }

    // Code point order, which is the order of the UTF-8 bytes. UTF-16 order differs only where a surrogate (a code
    // point above U+FFFF) meets U+E000 to U+FFFF, so those two ranges swap places before comparing.
    private static int CompareUtf8(string x, string y)
    {
        var common = x.AsSpan().CommonPrefixLength(y);
        if (common == x.Length || common == y.Length)
        {
            return x.Length.CompareTo(y.Length);
        }

        return CodePointRank(x[common]).CompareTo(CodePointRank(y[common]));

        static int CodePointRank(char c) => c >= '\uE000' ? c - 0x800 : c >= '\uD800' ? c + 0x2000 : c;
    }
}
