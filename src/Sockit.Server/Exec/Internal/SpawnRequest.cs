using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace Sockit.Server.Exec.Internal;

/// <summary>
/// The native state one <c>posix_spawn</c> call needs — file actions, attributes, and the descriptors made for the
/// child — built from <see cref="SpawnOptions"/> and released however the spawn ends. The parent's ends are taken by
/// the new <see cref="SpawnedProcess"/>; anything not taken is closed on disposal, so a failed start leaks nothing.
/// </summary>
internal sealed class SpawnRequest : IDisposable
{
    private const int SlavePathLength = 128;

    private readonly SpawnOptions _options;
    private readonly IntPtr _signals = Marshal.AllocHGlobal(LibC.OpaqueSize);
    private readonly int[] _parentEnds = [-1, -1, -1];
    private readonly List<int> _childEnds = [];
    private bool _actionsReady;
    private bool _attributesReady;

    /// <summary>Reserves the native objects; <see cref="Prepare"/> fills them.</summary>
    public SpawnRequest(SpawnOptions options) => _options = options;

    /// <summary>The <c>posix_spawn_file_actions_t</c>.</summary>
    public IntPtr FileActions { get; } = Marshal.AllocHGlobal(LibC.OpaqueSize);

    /// <summary>The <c>posix_spawnattr_t</c>.</summary>
    public IntPtr Attributes { get; } = Marshal.AllocHGlobal(LibC.OpaqueSize);

    /// <summary>Makes the pipes or the pty and describes, as file actions and attributes, what the child does with them.</summary>
    public void Prepare()
    {
        Check(LibC.FileActionsInit(FileActions), "posix_spawn_file_actions_init");
        _actionsReady = true;
        Check(LibC.AttrInit(Attributes), "posix_spawnattr_init");
        _attributesReady = true;

        // The runtime ignores SIGPIPE and may block or handle others; ignored signals survive exec, so a child would
        // otherwise not die of a broken pipe as `yes | head` expects. Unblock everything and restore every default.
        // glibc's own reserved signals 32 and 33 are the exception: sigfillset leaves them out, and glibc's spawn sets
        // them to SIG_IGN in the child; glibc programs reinstall them when needed, and no other program should use them.
        LibC.SigEmptySet(_signals);
        Check(LibC.AttrSetSigMask(Attributes, _signals), "posix_spawnattr_setsigmask");
        LibC.SigFillSet(_signals);
        Check(LibC.AttrSetSigDefault(Attributes, _signals), "posix_spawnattr_setsigdefault");
        short flags = LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF;

        if (_options.Mode == SpawnMode.Pty)
        {
            PreparePty();
            // A new session: the first terminal it opens without O_NOCTTY becomes its controlling terminal. It also
            // leads a new process group, so SETPGROUP is neither needed nor allowed (setpgid fails for a session leader).
            flags |= LibC.POSIX_SPAWN_SETSID;
        }
        else
        {
            if (_options.NoStandardInput)
            {
                Check(LibC.FileActionsAddOpen(FileActions, 0, "/dev/null", LibC.O_RDONLY, 0), "posix_spawn_file_actions_addopen");
            }
            else
            {
                PrepareChannel(0);
            }

            PrepareChannel(1);
            PrepareChannel(2);
            // Group 0: the child leads a new group whose id is its pid, so kill(-pid) reaches its whole tree.
            Check(LibC.AttrSetPgroup(Attributes, 0), "posix_spawnattr_setpgroup");
            flags |= LibC.POSIX_SPAWN_SETPGROUP;
        }

        Check(LibC.AttrSetFlags(Attributes, flags), "posix_spawnattr_setflags");

        if (_options.WorkingDirectory is { } directory)
        {
            try
            {
                Check(LibC.FileActionsAddChdir(FileActions, directory), "posix_spawn_file_actions_addchdir_np");
            }
            catch (EntryPointNotFoundException e)
            {
                throw new PlatformNotSupportedException("A working directory for a spawned child needs glibc 2.29 or later.", e);
            }
        }
    }

    /// <summary>Closes the parent's copies of the child's ends once the child has its own.</summary>
    public void CloseChildEnds()
    {
        foreach (int fd in _childEnds)
        {
            LibC.Close(fd);
        }

        _childEnds.Clear();
    }

    /// <summary>Hands the parent's end for child descriptor <paramref name="childFd"/> (0 for the pty master) to the caller.</summary>
    public int TakeParentEnd(int childFd)
    {
        int fd = _parentEnds[childFd];
        _parentEnds[childFd] = -1;
        return fd;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        CloseChildEnds();
        for (int i = 0; i < _parentEnds.Length; i++)
        {
            if (_parentEnds[i] >= 0)
            {
                LibC.Close(_parentEnds[i]);
                _parentEnds[i] = -1;
            }
        }

        if (_actionsReady)
        {
            LibC.FileActionsDestroy(FileActions);
        }

        if (_attributesReady)
        {
            LibC.AttrDestroy(Attributes);
        }

        Marshal.FreeHGlobal(FileActions);
        Marshal.FreeHGlobal(Attributes);
        Marshal.FreeHGlobal(_signals);
    }

    private void PrepareChannel(int childFd)
    {
        // A connected Unix socket pair rather than a pipe: the runtime can wait for a socket without a thread (epoll),
        // while a pipe read through FileStream holds a thread-pool thread for as long as the command is silent.
        // Programs see a stream they read and write as they would a pipe; a write after the reader is gone still
        // raises SIGPIPE. SOCK_CLOEXEC: a child spawned concurrently by another thread must not inherit this pair, or
        // end of file never comes.
        Span<int> fds = stackalloc int[2];
        if (LibC.SocketPair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, fds) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            throw new Win32Exception(error, $"socketpair failed: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        int childEnd = fds[0];
        int parentEnd = fds[1];
        _childEnds.Add(childEnd);
        _parentEnds[childFd] = parentEnd;

        // dup2 clears close-on-exec on the copy; the originals close at exec. The parent's end is closed explicitly
        // as well, so that the child never holds the end it would otherwise wait on itself.
        Check(LibC.FileActionsAddDup2(FileActions, childEnd, childFd), "posix_spawn_file_actions_adddup2");
        Check(LibC.FileActionsAddClose(FileActions, parentEnd), "posix_spawn_file_actions_addclose");
    }

    private void PreparePty()
    {
        int master = LibC.PosixOpenpt(LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC);
        if (master < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            throw new Win32Exception(error, $"posix_openpt failed: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        _parentEnds[0] = master;
        if (LibC.Grantpt(master) != 0 || LibC.Unlockpt(master) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "grantpt/unlockpt failed");
        }

        Span<byte> name = stackalloc byte[SlavePathLength];
        Check(LibC.PtsnameR(master, name, (nuint)name.Length), "ptsname_r");
        string slave = Encoding.UTF8.GetString(name[..name.IndexOf((byte)0)]);

        SpawnedProcess.SetWindowSize(master, _options.WindowSize);

        // Opened in the child, after setsid, without O_NOCTTY: so it becomes the controlling terminal. The parent
        // never opens the slave, so the master reads EIO (end of file) once the child's tree has closed it.
        Check(LibC.FileActionsAddOpen(FileActions, 0, slave, LibC.O_RDWR, 0), "posix_spawn_file_actions_addopen");
        Check(LibC.FileActionsAddDup2(FileActions, 0, 1), "posix_spawn_file_actions_adddup2");
        Check(LibC.FileActionsAddDup2(FileActions, 0, 2), "posix_spawn_file_actions_adddup2");
        Check(LibC.FileActionsAddClose(FileActions, master), "posix_spawn_file_actions_addclose");
    }

    /// <summary>The posix_spawn family returns an error number rather than setting errno.</summary>
    private static void Check(int error, string call)
    {
        if (error != 0)
        {
            throw new Win32Exception(error, $"{call} failed: {Marshal.GetPInvokeErrorMessage(error)}");
        }
    }
}
