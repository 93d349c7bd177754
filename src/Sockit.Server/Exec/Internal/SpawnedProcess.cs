using System.Collections;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Net.Sockets;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Sockit.Server.Exec.Internal;

/// <summary>
/// A Linux child process started with <c>posix_spawn</c>, for what <see cref="System.Diagnostics.Process"/> cannot do:
/// put the child in its own process group (so a whole tree can be signalled), give it a pseudo-terminal as its
/// controlling terminal, and report death by signal apart from an exit code. <c>fork</c> is never called from managed
/// code: after <c>fork</c> in a multi-threaded runtime only async-signal-safe calls are allowed, and glibc's
/// <c>posix_spawn</c> does the fork-and-exec safely (and reports a failed <c>exec</c> as its return value).
/// </summary>
/// <remarks>
/// Every child is reaped by <see cref="ChildReaper"/> (or, without pidfds, by <c>waitpid</c> on a small thread of its
/// own), so no SIGCHLD handler is needed and the runtime's own (which only reaps
/// <see cref="System.Diagnostics.Process"/>'s children) is left alone.
/// </remarks>
internal sealed class SpawnedProcess : IDisposable
{
    private const int WaiterStackSize = 256 * 1024;

    private readonly TaskCompletionSource<ChildExit> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _masterFd;
    private bool _disposed;

    private SpawnedProcess(int pid, SpawnMode mode, Stream? stdin, Stream? stdout, Stream? stderr, Stream? terminal, int masterFd)
    {
        Pid = pid;
        Mode = mode;
        StandardInput = stdin;
        StandardOutput = stdout;
        StandardError = stderr;
        Terminal = terminal;
        _masterFd = masterFd;
        if (ChildReaper.Shared?.TryWatch(pid, _exit) != true)
        {
            var waiter = new Thread(WaitForChild, WaiterStackSize) { IsBackground = true, Name = $"waitpid {pid}" };
            waiter.Start();
        }
    }

    /// <summary>The child's process id; also its process group id (and, for a pty, its session id).</summary>
    public int Pid { get; }

    /// <summary>How the child's standard descriptors are connected.</summary>
    public SpawnMode Mode { get; }

    /// <summary>
    /// The child's stdin in <see cref="SpawnMode.Pipes"/> mode (null with <see cref="SpawnOptions.NoStandardInput"/>);
    /// disposing it sends the child end of file.
    /// </summary>
    public Stream? StandardInput { get; }

    /// <summary>The child's stdout in <see cref="SpawnMode.Pipes"/> mode.</summary>
    public Stream? StandardOutput { get; }

    /// <summary>The child's stderr in <see cref="SpawnMode.Pipes"/> mode, kept apart from stdout.</summary>
    public Stream? StandardError { get; }

    /// <summary>
    /// The pty master in <see cref="SpawnMode.Pty"/> mode: writes are the child's keyboard, reads its screen (stdout and
    /// stderr merged, with the terminal's line discipline applied, so lines end in <c>\r\n</c>).
    /// </summary>
    public Stream? Terminal { get; }

    /// <summary>Whether the child has exited and been reaped.</summary>
    public bool HasExited => _exit.Task.IsCompleted;

    /// <summary>Starts a child as <paramref name="options"/> say.</summary>
    /// <exception cref="FileNotFoundException">The program does not exist (or is not on <c>PATH</c>).</exception>
    /// <exception cref="DirectoryNotFoundException">The working directory does not exist.</exception>
    /// <exception cref="ArgumentException">An argument or environment entry contains NUL, or a name contains '='.</exception>
    /// <exception cref="PlatformNotSupportedException">Not Linux, or a working directory on glibc older than 2.29.</exception>
    /// <exception cref="Win32Exception">Any other failure to start the child.</exception>
    public static SpawnedProcess Start(SpawnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.FileName);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Spawning with posix_spawn is implemented for Linux (glibc) only.");
        }

        if (options.WorkingDirectory is { } directory && !Directory.Exists(directory))
        {
            // posix_spawn would report this as ENOENT too, indistinguishable from a missing program.
            throw new DirectoryNotFoundException($"The working directory '{directory}' does not exist.");
        }

        using var argv = new NativeStringArray([options.FileName, .. options.Arguments], nameof(options));
        using var envp = new NativeStringArray(EnvironmentBlock(options.Environment), nameof(options));
        var spawn = new SpawnRequest(options);
        try
        {
            spawn.Prepare();
            int error = LibC.PosixSpawnp(out int pid, argv.First, spawn.FileActions, spawn.Attributes, argv.Pointer, envp.Pointer);

            if (error == LibC.ENOENT)
            {
                throw new FileNotFoundException($"Cannot start '{options.FileName}': no such program.", options.FileName);
            }

            if (error != 0)
            {
                throw new Win32Exception(error, $"Cannot start '{options.FileName}': {Marshal.GetPInvokeErrorMessage(error)}");
            }

            spawn.CloseChildEnds();
            try
            {
                if (options.Mode == SpawnMode.Pty)
                {
                    int master = spawn.TakeParentEnd(0);
                    return new SpawnedProcess(pid, SpawnMode.Pty, null, null, null, new PtyMasterStream(Open(master, FileAccess.ReadWrite)), master);
                }

                return new SpawnedProcess(
                    pid,
                    SpawnMode.Pipes,
                    options.NoStandardInput ? null : OpenChannel(spawn.TakeParentEnd(0), FileAccess.Write),
                    OpenChannel(spawn.TakeParentEnd(1), FileAccess.Read),
                    OpenChannel(spawn.TakeParentEnd(2), FileAccess.Read),
                    null,
                    -1);
            }
            catch
            {
                // The child runs but nobody would own it: end its group and reap it rather than leave it behind.
                LibC.Kill(-pid, LibC.SIGKILL);
                LibC.Waitpid(pid, out _, 0);
                throw;
            }
        }
        finally
        {
            spawn.Dispose();
        }
    }

    /// <summary>Waits for the child to exit and be reaped.</summary>
    public Task<ChildExit> WaitForExitAsync(CancellationToken cancellationToken = default) =>
        _exit.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Sends <paramref name="signal"/> to every process in the child's group, so grandchildren a shell started are
    /// reached too. Returns <see langword="false"/> when the group has no processes left.
    /// </summary>
    /// <remarks>
    /// Once the leader is reaped and the group is empty its id may in theory be reused by an unrelated group, so call
    /// this only while the child's tree is of interest.
    /// </remarks>
    public bool SignalGroup(int signal)
    {
        if (LibC.Kill(-Pid, signal) == 0)
        {
            return true;
        }

        int error = Marshal.GetLastPInvokeError();
        return error == LibC.ESRCH ? false : throw new Win32Exception(error);
    }

    /// <summary>
    /// Ends the child's whole tree: SIGTERM to the group so programs can clean up, then SIGKILL to the group once the
    /// leader has exited or <paramref name="grace"/> has passed, whichever is first, for anything that ignored SIGTERM
    /// or outlived the leader. Completes when the leader has been reaped.
    /// </summary>
    public async Task<ChildExit> KillTreeAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        SignalGroup(LibC.SIGTERM);
        try
        {
            await _exit.Task.WaitAsync(grace, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The leader ignored SIGTERM; SIGKILL below cannot be ignored.
        }

        SignalGroup(LibC.SIGKILL);
        return await _exit.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes the pty's window size; the kernel sends the child's foreground group SIGWINCH.</summary>
    /// <exception cref="InvalidOperationException">The child has pipes, not a pty.</exception>
    public void Resize(WindowSize size)
    {
        // After disposal the descriptor number may already belong to another file.
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_masterFd < 0)
        {
            throw new InvalidOperationException("Only a child with a pty has a window size.");
        }

        SetWindowSize(_masterFd, size);
    }

    /// <summary>The pty's window size as the kernel holds it.</summary>
    /// <exception cref="InvalidOperationException">The child has pipes, not a pty.</exception>
    public WindowSize GetWindowSize()
    {
        // After disposal the descriptor number may already belong to another file.
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_masterFd < 0)
        {
            throw new InvalidOperationException("Only a child with a pty has a window size.");
        }

        Span<ushort> winsize = stackalloc ushort[4];
        if (LibC.IoctlWinsize(_masterFd, LibC.TIOCGWINSZ, winsize) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }

        return new WindowSize(winsize[0], winsize[1]);
    }

    /// <summary>
    /// Closes the parent's descriptors and, if the child is still running, SIGKILLs its group so that no tree is left
    /// behind unowned. The waiter thread still reaps the child.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!HasExited)
        {
            SignalGroup(LibC.SIGKILL);
        }

        StandardInput?.Dispose();
        StandardOutput?.Dispose();
        StandardError?.Dispose();
        Terminal?.Dispose();
    }

    /// <summary>Sets a terminal's size through its master descriptor.</summary>
    internal static void SetWindowSize(int masterFd, WindowSize size)
    {
        Span<ushort> winsize = [size.Rows, size.Columns, 0, 0];
        if (LibC.IoctlWinsize(masterFd, LibC.TIOCSWINSZ, winsize) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
    }

    private static FileStream Open(int fd, FileAccess access) =>
        // No buffering: a prompt written to the child must reach it without a Flush.
        new(new SafeFileHandle(fd, ownsHandle: true), access, bufferSize: 0);

    private static ChannelStream OpenChannel(int fd, FileAccess access)
    {
        var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        try
        {
            // Each end is one-way: the child sees end of file if it reads its stdout, and the parent nothing on stdin.
            socket.Shutdown(access == FileAccess.Read ? SocketShutdown.Send : SocketShutdown.Receive);
            return new ChannelStream(socket, reads: access == FileAccess.Read);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static List<string> EnvironmentBlock(IReadOnlyDictionary<string, string>? environment)
    {
        IEnumerable<KeyValuePair<string, string>> entries = environment
            ?? System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                .Select(e => new KeyValuePair<string, string>((string)e.Key, (string?)e.Value ?? ""));
        var block = new List<string>();
        foreach (var (name, value) in entries)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{name}' cannot be an environment variable's name.", nameof(environment));
            }

            block.Add(new StringBuilder(name).Append('=').Append(value).ToString());
        }

        return block;
    }

    private void WaitForChild() => ChildReaper.Reap(Pid, 0, _exit);
}
