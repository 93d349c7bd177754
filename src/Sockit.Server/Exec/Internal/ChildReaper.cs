using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Sockit.Server.Exec.Internal;

/// <summary>
/// Reaps spawned children with one background thread for all of them: each child gets a pidfd, which turns readable
/// when the child exits, and the thread waits in one <c>poll</c> over every pidfd plus an eventfd that announces new
/// children. Starting a thread per child to block in <c>waitpid</c> cost about half a millisecond of CPU per command
/// on a 2-core machine, as much as a third of what a short command costs the server in all.
/// </summary>
/// <remarks>
/// A pidfd names one process, not a number that could be reused, and <c>waitpid(pid, WNOHANG)</c> reaps only that
/// child, so <see cref="System.Diagnostics.Process"/>'s own children are never touched. Where pidfds are missing
/// (Linux before 5.3, glibc before 2.36) or the process is out of descriptors, <see cref="TryWatch"/> says no and the
/// caller waits with a thread of its own.
/// </remarks>
internal sealed class ChildReaper
{
    private const int ThreadStackSize = 256 * 1024;

    private static readonly Lazy<ChildReaper?> s_shared = new(Create);

    private readonly Lock _gate = new();
    private readonly List<WatchedChild> _arrivals = [];
    private readonly int _wakeFd;
    private bool _broken;

    private ChildReaper(int wakeFd)
    {
        _wakeFd = wakeFd;
        var thread = new Thread(Run, ThreadStackSize) { IsBackground = true, Name = "Sockit child reaper" };
        thread.Start();
    }

    /// <summary>The process's reaper, or <see langword="null"/> where pidfds or eventfds are not available.</summary>
    public static ChildReaper? Shared => s_shared.Value;

    /// <summary>
    /// Completes <paramref name="exit"/> once child <paramref name="pid"/> has exited and been reaped. Returns
    /// <see langword="false"/>, having done nothing, when the child cannot be watched this way.
    /// </summary>
    public bool TryWatch(int pid, TaskCompletionSource<ChildExit> exit)
    {
        int pidFd = LibC.PidfdOpen(pid, 0);
        if (pidFd < 0)
        {
            return false;
        }

        lock (_gate)
        {
            if (_broken)
            {
                LibC.Close(pidFd);
                return false;
            }

            _arrivals.Add(new WatchedChild(pid, pidFd, exit));
        }

        Span<byte> one = stackalloc byte[8];
        BitConverter.TryWriteBytes(one, 1UL);
        // A full counter (EAGAIN) already means "wake up"; nothing else can fail for an eventfd write of 8 bytes.
        _ = LibC.Write(_wakeFd, one, 8);
        return true;
    }

    private static ChildReaper? Create()
    {
        try
        {
            // Probe for pidfd_open before committing to a thread: an EntryPointNotFoundException means an old glibc.
            int probe = LibC.PidfdOpen(Environment.ProcessId, 0);
            if (probe < 0)
            {
                return null;
            }

            LibC.Close(probe);
            int wakeFd = LibC.EventFd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
            return wakeFd < 0 ? null : new ChildReaper(wakeFd);
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    private void Run()
    {
        var watched = new List<WatchedChild>();
        var descriptors = new PollDescriptor[16];
        Span<byte> counter = stackalloc byte[8];
        while (true)
        {
            lock (_gate)
            {
                watched.AddRange(_arrivals);
                _arrivals.Clear();
            }

            if (descriptors.Length < watched.Count + 1)
            {
                Array.Resize(ref descriptors, Math.Max(descriptors.Length * 2, watched.Count + 1));
            }

            descriptors[0] = new PollDescriptor { Descriptor = _wakeFd, Events = LibC.POLLIN };
            for (int i = 0; i < watched.Count; i++)
            {
                descriptors[i + 1] = new PollDescriptor { Descriptor = watched[i].PidFd, Events = LibC.POLLIN };
            }

            int count = watched.Count + 1;
            if (LibC.Poll(descriptors, (nuint)count, -1) < 0)
            {
                int error = Marshal.GetLastPInvokeError();
                if (error is LibC.EINTR or LibC.EAGAIN)
                {
                    continue;
                }

                FailAll(watched, new Win32Exception(error, $"poll over child pidfds failed: {Marshal.GetPInvokeErrorMessage(error)}"));
                return;
            }

            if (descriptors[0].ReturnedEvents != 0)
            {
                _ = LibC.Read(_wakeFd, counter, 8);
            }

            // Backwards, so removing one leaves the indexes of those still to look at unchanged.
            for (int i = watched.Count - 1; i >= 0; i--)
            {
                if (descriptors[i + 1].ReturnedEvents != 0 && Reap(watched[i].Pid, LibC.WNOHANG, watched[i].Exit))
                {
                    LibC.Close(watched[i].PidFd);
                    watched.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>
    /// Calls <c>waitpid(pid, options)</c> and completes <paramref name="exit"/> with what it says. Returns
    /// <see langword="false"/> only when <see cref="LibC.WNOHANG"/> is given and the child has not exited yet.
    /// </summary>
    internal static bool Reap(int pid, int options, TaskCompletionSource<ChildExit> exit)
    {
        while (true)
        {
            int result = LibC.Waitpid(pid, out int status, options);
            if (result == pid)
            {
                exit.TrySetResult(ChildExit.FromWaitStatus(status));
                return true;
            }

            if (result == 0)
            {
                return false;
            }

            int error = Marshal.GetLastPInvokeError();
            if (error != LibC.EINTR)
            {
                // ECHILD: something else reaped the child (e.g. a process-wide SIGCHLD set to SIG_IGN).
                exit.TrySetException(new Win32Exception(error, $"waitpid({pid}) failed: {Marshal.GetPInvokeErrorMessage(error)}"));
                return true;
            }
        }
    }

    private void FailAll(List<WatchedChild> watched, Exception failure)
    {
        lock (_gate)
        {
            _broken = true;
            watched.AddRange(_arrivals);
            _arrivals.Clear();
        }

        foreach (var child in watched)
        {
            LibC.Close(child.PidFd);
            child.Exit.TrySetException(failure);
        }
    }

    private readonly record struct WatchedChild(int Pid, int PidFd, TaskCompletionSource<ChildExit> Exit);
}
