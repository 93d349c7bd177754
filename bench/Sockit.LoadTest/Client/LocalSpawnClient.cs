using System.Runtime.InteropServices;

namespace Sockit.LoadTest.Client;

/// <summary>
/// The spawn test's ceiling (<c>spawn-only</c>): <c>/bin/sh -c COMMAND</c> started with <c>posix_spawn</c> and reaped
/// with <c>waitpid</c> by this process itself, with no server, no client protocol and no pipes. Nothing that runs the
/// command for someone else can go faster on the same machine, so the other targets' rates are read against it.
/// Each client has a thread of its own, since <c>waitpid</c> blocks.
/// </summary>
internal sealed partial class LocalSpawnClient : ICommandClient
{
    private readonly nint[] _strings;
    private readonly nint _argv;
    private readonly nint _envp;
    private readonly SemaphoreSlim _go = new(0);
    private readonly Thread _thread;
    private TaskCompletionSource? _run;
    private volatile bool _disposed;

    public LocalSpawnClient(string command)
    {
        _strings = [.. new[] { "sh", "-c", command, "PATH=/usr/bin:/bin" }.Select(Marshal.StringToCoTaskMemUTF8)];
        _argv = Pointers(_strings[0], _strings[1], _strings[2]);
        _envp = Pointers(_strings[3]);
        _thread = new Thread(Loop) { IsBackground = true, Name = "spawn-only" };
    }

    public Task ConnectAsync(CancellationToken cancellationToken)
    {
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var run = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _run = run;
        _go.Release();
        return run.Task.WaitAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _go.Release();
        if (_thread.ThreadState != ThreadState.Unstarted)
        {
            _thread.Join();
        }

        _go.Dispose();
        Marshal.FreeHGlobal(_argv);
        Marshal.FreeHGlobal(_envp);
        foreach (var text in _strings)
        {
            Marshal.FreeCoTaskMem(text);
        }

        return ValueTask.CompletedTask;
    }

    private void Loop()
    {
        while (true)
        {
            _go.Wait();
            if (_disposed)
            {
                return;
            }

            var run = _run!;
            int error = PosixSpawn(out int pid, "/bin/sh", 0, 0, _argv, _envp);
            if (error != 0)
            {
                run.TrySetException(new InvalidDataException($"posix_spawn failed with error {error}"));
                continue;
            }

            int waited;
            int status;
            while ((waited = WaitPid(pid, out status, 0)) < 0 && Marshal.GetLastPInvokeError() == 4)
            {
                // EINTR: wait again.
            }

            if (waited != pid || status != 0)
            {
                run.TrySetException(new InvalidDataException($"sh -c did not exit cleanly (waitpid {waited}, status {status})"));
                continue;
            }

            run.TrySetResult();
        }
    }

    /// <summary>A null-terminated array of the given pointers, as <c>execve</c> takes its arguments.</summary>
    private static nint Pointers(params nint[] items)
    {
        var array = Marshal.AllocHGlobal((items.Length + 1) * nint.Size);
        for (int i = 0; i < items.Length; i++)
        {
            Marshal.WriteIntPtr(array, i * nint.Size, items[i]);
        }

        Marshal.WriteIntPtr(array, items.Length * nint.Size, 0);
        return array;
    }

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PosixSpawn(out int pid, string path, nint fileActions, nint attributes, nint argv, nint envp);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);
}
