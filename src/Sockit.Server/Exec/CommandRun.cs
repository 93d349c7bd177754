using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.Net.Sockets;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;
using Sockit.Protocol.Text;
using Sockit.Server.Exec.Internal;

namespace Sockit.Server.Exec;

/// <summary>
/// One started command: its output pumped to a sink as it is written, its input fed from a source, and its whole
/// process tree ended on timeout or abort, and also once it has exited, so that nothing it started is left behind.
/// </summary>
/// <remarks>
/// Output is read in chunks of at most <see cref="ProtocolInfo.MaxPartBodyLength"/> and the next read waits for the
/// sink: a sink that waits for a slow client makes the command block on its own writes, so memory stays bounded by one
/// chunk per stream.
/// </remarks>
internal sealed class CommandRun : IDisposable
{
    private readonly SpawnedProcess _process;
    private readonly ExecCommand _command;
    private readonly long _started;
    private long _stdout;
    private long _stderr;
    private long _stdin;

    private CommandRun(SpawnedProcess process, ExecCommand command, long started)
    {
        _process = process;
        _command = command;
        _started = started;
    }

    /// <summary>The command's process id (its group's, too).</summary>
    public int Pid => _process.Pid;

    /// <summary>Starts <paramref name="command"/>.</summary>
    /// <exception cref="SockitException"><c>not_found</c> for a missing program or folder; <c>server_busy</c> when the server is out of descriptors, processes or memory; <c>invalid_argument</c> when it cannot be started otherwise.</exception>
    public static CommandRun Start(ExecCommand command)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            return new CommandRun(SpawnedProcess.Start(command.Spawn), command, started);
        }
        catch (FileNotFoundException)
        {
            throw new SockitException(SockitErrorCode.NotFound, $"no such program: '{UntrustedText.Escape(command.Spawn.FileName)}'");
        }
        catch (DirectoryNotFoundException)
        {
            throw new SockitException(SockitErrorCode.NotFound, $"cwd '{UntrustedText.Escape(command.Spawn.WorkingDirectory)}' does not exist");
        }
        catch (Win32Exception ex) when (IsOutOfResources(ex.NativeErrorCode))
        {
            // Descriptors, processes or memory ran out: the command is fine, the server is full for now.
            throw new SockitException(SockitErrorCode.ServerBusy, $"the server cannot start another command now ({ex.Message}); try again later");
        }
        catch (Win32Exception ex)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, UntrustedText.Escape(ex.Message, 300));
        }
        catch (ArgumentException ex)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, UntrustedText.Escape(ex.Message, 300));
        }
    }

    private static bool IsOutOfResources(int error) =>
        error is LibC.EMFILE or LibC.ENFILE or LibC.EAGAIN or LibC.ENOMEM;

    /// <summary>Sends a signal to the command's process group (nothing once the group is gone).</summary>
    public void Signal(int signal)
    {
        if (!_process.HasExited)
        {
            _process.SignalGroup(signal);
        }
    }

    /// <summary>Resizes the command's terminal.</summary>
    /// <exception cref="SockitException"><c>invalid_argument</c>: the command has no terminal.</exception>
    public void Resize(WindowSize size)
    {
        if (_process.Mode != SpawnMode.Pty)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, "rows and cols: the command has no terminal (start it with pty)");
        }

        if (!_process.HasExited)
        {
            _process.Resize(size);
        }
    }

    /// <summary>
    /// Runs the command to its end: feeds it <paramref name="initialInput"/> and then <paramref name="input"/> (if any)
    /// as standard input, passes its output to <paramref name="output"/> (with <see langword="true"/> for stderr), and
    /// ends its tree when its timeout passes or <paramref name="aborted"/> fires.
    /// </summary>
    /// <param name="output">Takes each chunk of output; the chunk is valid only during the call. A sink that throws stops the passing of output (the command is then ended as if aborted).</param>
    /// <param name="initialInput">Input given before any from <paramref name="input"/>.</param>
    /// <param name="input">More input, until it returns 0; <see langword="null"/> to end standard input after <paramref name="initialInput"/>.</param>
    /// <param name="killGrace">Between SIGTERM and SIGKILL.</param>
    /// <param name="aborted">Ends the command early.</param>
    public async Task<ExecOutcome> RunAsync(
        Func<bool, ReadOnlyMemory<byte>, ValueTask> output,
        ReadOnlyMemory<byte> initialInput,
        Func<Memory<byte>, CancellationToken, ValueTask<int>>? input,
        TimeSpan killGrace,
        CancellationToken aborted)
    {
        using var timeout = new CancellationTokenSource(_command.Timeout);
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(aborted, timeout.Token);
        using var sinkFailed = new CancellationTokenSource();
        using var stopFeeding = new CancellationTokenSource();

        var pumps = new List<Task>(2);
        if (_process.Mode == SpawnMode.Pty)
        {
            pumps.Add(PumpAsync(_process.Terminal!, stderr: false, output, sinkFailed));
        }
        else
        {
            pumps.Add(PumpAsync(_process.StandardOutput!, stderr: false, output, sinkFailed));
            pumps.Add(PumpAsync(_process.StandardError!, stderr: true, output, sinkFailed));
        }

        var feeding = FeedAsync(initialInput, input, stopFeeding.Token);
        var exit = _process.WaitForExitAsync(CancellationToken.None);
        using var endingOrSinkFailed = CancellationTokenSource.CreateLinkedTokenSource(ending.Token, sinkFailed.Token);
        var cut = Task.Delay(Timeout.Infinite, endingOrSinkFailed.Token);

        await Task.WhenAny(exit, cut).ConfigureAwait(false);
        var outputDone = Task.WhenAll(pumps);
        ChildExit childExit;
        bool cutShort = !exit.IsCompleted;
        if (cutShort)
        {
            childExit = await _process.KillTreeAsync(killGrace, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            childExit = await exit.ConfigureAwait(false);
            // The leader is gone; anything it left running in its group gets the grace to finish its output, then the
            // tree is ended like any other, so no process outlives its command.
            await WaitQuietlyAsync(outputDone, killGrace, ending.Token).ConfigureAwait(false);
            EndLeftovers(killGrace);
        }

        var duration = Stopwatch.GetElapsedTime(_started);
        await stopFeeding.CancelAsync().ConfigureAwait(false);
        // Everything in the group is dead now, so its output ends; a process that left the group (setsid) and still holds
        // the output is not waited for.
        await WaitQuietlyAsync(outputDone, killGrace, CancellationToken.None).ConfigureAwait(false);
        _process.Dispose();
        await WaitQuietlyAsync(feeding, killGrace, CancellationToken.None).ConfigureAwait(false);

        return new ExecOutcome(
            childExit,
            cutShort && timeout.IsCancellationRequested && !aborted.IsCancellationRequested,
            cutShort && aborted.IsCancellationRequested,
            duration,
            Interlocked.Read(ref _stdout),
            Interlocked.Read(ref _stderr),
            Interlocked.Read(ref _stdin));
    }

    /// <summary>Kills the command's tree at once, if it still runs.</summary>
    public void Dispose() => _process.Dispose();

    private void EndLeftovers(TimeSpan killGrace)
    {
        if (_process.SignalGroup(LibC.SIGTERM))
        {
            // Reaped children leave the group empty quickly; a stubborn one gets SIGKILL once the grace has passed.
            _ = Task.Delay(killGrace).ContinueWith(_ => TrySignalGroup(LibC.SIGKILL), TaskScheduler.Default);
        }
    }

    private void TrySignalGroup(int signal)
    {
        try
        {
            _process.SignalGroup(signal);
        }
        catch (Win32Exception)
        {
            // The group is gone and its id taken by a process this user may not signal: nothing of ours is left.
        }
    }

    private static async Task WaitQuietlyAsync(Task task, TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Waited long enough: the caller ends what is left.
        }
    }

    private async Task PumpAsync(Stream source, bool stderr, Func<bool, ReadOnlyMemory<byte>, ValueTask> output, CancellationTokenSource sinkFailed)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ProtocolInfo.MaxPartBodyLength);
        bool passing = true;
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await source.ReadAsync(buffer.AsMemory(0, ProtocolInfo.MaxPartBodyLength)).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                if (read == 0)
                {
                    return;
                }

                if (source is ChannelStream channel)
                {
                    // Programs write in small pieces (head and cat: 8 KiB or 128 KiB); whatever more has come by now
                    // goes in the same part, which saves a frame, a send and the client's wake-up per piece.
                    read += FillFromAvailable(channel, buffer.AsSpan(read, ProtocolInfo.MaxPartBodyLength - read));
                }

                if (!passing)
                {
                    // Nobody takes output any more; keep the pipe drained so the command is not stuck writing while it dies.
                    continue;
                }

                try
                {
                    await output(stderr, buffer.AsMemory(0, read)).ConfigureAwait(false);
                    Interlocked.Add(ref stderr ? ref _stderr : ref _stdout, read);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
                {
                    passing = false;
                    await sinkFailed.CancelAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int FillFromAvailable(ChannelStream channel, Span<byte> room)
    {
        int filled = 0;
        try
        {
            while (filled < room.Length)
            {
                int more = channel.ReadAvailable(room[filled..]);
                if (more == 0)
                {
                    break;
                }

                filled += more;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The next ReadAsync meets the same end and stops the pump.
        }

        return filled;
    }

    private async Task FeedAsync(ReadOnlyMemory<byte> initialInput, Func<Memory<byte>, CancellationToken, ValueTask<int>>? input, CancellationToken stop)
    {
        var target = _process.Mode == SpawnMode.Pty ? _process.Terminal : _process.StandardInput;
        if (target is null)
        {
            // Spawned with /dev/null as its stdin: nothing to feed.
            return;
        }

        byte[]? buffer = null;
        try
        {
            if (!initialInput.IsEmpty)
            {
                await target.WriteAsync(initialInput, stop).ConfigureAwait(false);
                Interlocked.Add(ref _stdin, initialInput.Length);
            }

            if (input is not null)
            {
                buffer = ArrayPool<byte>.Shared.Rent(ProtocolInfo.MaxPartBodyLength);
                while (true)
                {
                    int read = await input(buffer.AsMemory(0, ProtocolInfo.MaxPartBodyLength), stop).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    await target.WriteAsync(buffer.AsMemory(0, read), stop).ConfigureAwait(false);
                    Interlocked.Add(ref _stdin, read);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The command stopped reading (it exited or closed its stdin) or the request ended: the rest is not wanted.
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (_process.Mode == SpawnMode.Pipes)
            {
                // End of file for the command; a terminal stays open, as closing it would hang the command up.
                target.Dispose();
            }
        }
    }
}
