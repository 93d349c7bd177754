using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Text;
using Sockit.Server.Hosting;
using Sockit.Server.Hosting.Connections;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Exec.Legacy;

/// <summary>
/// The tutorials' remote-command server (tutorial 000, "CMD程序自定义报头") for their own client: a command arrives as bare
/// UTF-8 in one <c>recv(1024)</c>, runs through the shell with empty standard input, and is answered with the custom
/// header (<see cref="LegacyReplyHeader"/>) and stdout + stderr; many commands per connection. With an HMAC key a client
/// must first pass the tutorials' challenge (<see cref="LegacyChallenge"/>). Commands are started, limited, timed out,
/// ended and logged as <c>exec</c> does it.
/// </summary>
internal sealed class LegacyExecConnectionHandler : LegacyConnectionHandler
{
    /// <summary>The most bytes of one command: the tutorials' server reads it with one <c>recv(1024)</c>.</summary>
    public const int MaxCommandLength = 1024;

    /// <summary>Whom legacy commands count as in the exec limits and the audit log: one user for all of its clients.</summary>
    public const string User = "(legacy)";

    private const string Via = "legacy";

    // Python's bytes.decode("utf-8") refuses invalid bytes too; replacing them would run a command nobody sent.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ExecOptions _exec;
    private readonly ExecLimiter _execLimiter;
    private readonly TimeSpan _shutdownGrace;

    public LegacyExecConnectionHandler(
        SockitServerOptions options,
        ExecLimiter execLimiter,
        ConnectionLimiter limiter,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        ILogger<LegacyExecConnectionHandler> logger)
        : base(options, options.Exec.Legacy, limiter, lifetime, time, logger)
    {
        _exec = options.Exec;
        _execLimiter = execLimiter;

        // At shutdown a command keeps running for the grace period, less the time its tree is given to end.
        _shutdownGrace = options.ShutdownTimeout > _exec.KillGrace ? options.ShutdownTimeout - _exec.KillGrace : TimeSpan.Zero;
    }

    protected override void LogChallengeFailed(string remote, string reason, int unlogged) =>
        ExecLog.LegacyChallengeFailed(Logger, remote, reason, unlogged);

    protected override async Task ConverseAsync(ConnectionContext connection, CancellationTokenSource deadline, string remote)
    {
        var input = connection.Transport.Input;
        while (true)
        {
            deadline.CancelAfter(IdleTimeout);
            var result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.IsEmpty)
            {
                input.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    // The tutorials' server would read b"" here for ever; the client has gone.
                    ConnectionLog.ClosedByClient(Logger);
                    return;
                }

                continue;
            }

            // One recv(1024), as the tutorials' server reads a command: whatever has arrived, up to 1024 bytes.
            var received = buffer.Slice(0, Math.Min(buffer.Length, MaxCommandLength));
            var command = received.ToArray();
            input.AdvanceTo(received.End);
            if (LegacyHttpGuard.LooksLikeHttp(command))
            {
                if (WarningLog.TryTake(out int unlogged))
                {
                    ExecLog.LegacyHttpRefused(Logger, remote, unlogged);
                }

                return;
            }

            // While the command runs its own timeout bounds it, not the idle timeout.
            deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            using var reply = new LegacyOutput(_exec.Legacy.MaxOutputLength);
            if (!await RunAsync(command, remote, reply, input).ConfigureAwait(false)
                || !await SendAsync(connection, reply, deadline).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Runs one command into <paramref name="reply"/>, or puts there why it did not run. Returns <see langword="false"/>
    /// when shutdown ended it: nobody is told, the connection just closes.
    /// </summary>
    private async Task<bool> RunAsync(byte[] received, string remote, LegacyOutput reply, PipeReader input)
    {
        string display = UntrustedText.Escape(Encoding.UTF8.GetString(received), UntrustedText.MaxMessageLength);
        ReleaseOnce? slot = null;
        CommandRun run;
        ExecCommand command;
        try
        {
            if (!_exec.Enabled)
            {
                throw new SockitException(SockitErrorCode.Forbidden, "remote commands are switched off on this server (Sockit:Exec:Enabled)");
            }

            command = ExecCommand.FromCommandLine(Decode(received), _exec);
            slot = _execLimiter.Enter(User);
            run = CommandRun.Start(command);
        }
        catch (SockitException ex)
        {
            // This protocol has no error reply: the reason is the output, so the client prints it as it would any.
            slot?.Dispose();
            ExecLog.Refused(Logger, Via, User, remote, display, ex.Code.Value, ex.Message);
            reply.Note($"{ex.Code.Value}: {ex.Message}");
            return true;
        }

        using (slot)
        using (run)
        {
            return await RunStartedAsync(run, command, remote, reply, input).ConfigureAwait(false);
        }
    }

    private async Task<bool> RunStartedAsync(CommandRun run, ExecCommand command, string remote, LegacyOutput reply, PipeReader input)
    {
        using var ending = new CancellationTokenSource();
        using var atShutdown = Lifetime.ApplicationStopping.Register(() => ending.CancelAfter(_shutdownGrace));
        var watching = WatchForDepartureAsync(input, ending);
        var outcome = await run.RunAsync(
            async (stderr, chunk) =>
            {
                if (!await reply.AddAsync(stderr, chunk).ConfigureAwait(false) && !ending.IsCancellationRequested)
                {
                    // The reply cannot grow any more: end the command rather than let it run on for nobody.
                    await ending.CancelAsync().ConfigureAwait(false);
                }
            },
            ReadOnlyMemory<byte>.Empty,
            null,
            _exec.KillGrace,
            ending.Token).ConfigureAwait(false);
        if (!watching.IsCompleted)
        {
            input.CancelPendingRead();
        }

        await watching.ConfigureAwait(false);
        ExecLog.Ran(Logger, Via, User, remote, command.Display, outcome);
        return Answer(outcome, command, reply);
    }

    /// <summary>
    /// Watches the client while its command runs. The tutorials' client sends nothing more until it has read the
    /// reply, and it never half-closes: the end of its stream now (or a reset) means it has gone (killed, or Ctrl+C),
    /// and its command is ended as at shutdown instead of running on for nobody. Anything it does send first (a
    /// command ahead of its turn) is left for the next read, and the watch ends there.
    /// </summary>
    private static async Task WatchForDepartureAsync(PipeReader input, CancellationTokenSource ending)
    {
        ReadResult result;
        try
        {
            result = await input.ReadAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ConnectionFailures.IsAbruptDisconnect(ex))
        {
            await ending.CancelAsync().ConfigureAwait(false);
            return;
        }

        // Nothing consumed or examined: the next read sees all of it again.
        input.AdvanceTo(result.Buffer.Start);
        if (!result.IsCanceled && result.IsCompleted && result.Buffer.IsEmpty)
        {
            await ending.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts the reason a command ended early into <paramref name="reply"/>; <see langword="false"/> when it was ended at
    /// shutdown or because the client left: nobody is told, the connection just closes.
    /// </summary>
    private bool Answer(ExecOutcome outcome, ExecCommand command, LegacyOutput reply)
    {
        if (reply.IsCut)
        {
            ExecLog.LegacyOutputCut(Logger, command.Display, _exec.Legacy.MaxOutputLength);
            reply.Note(string.Create(
                CultureInfo.InvariantCulture,
                $"output cut at {_exec.Legacy.MaxOutputLength} bytes (Sockit:Exec:Legacy:MaxOutputLength); the command was ended"));
        }
        else if (outcome.TimedOut)
        {
            reply.Note(string.Create(
                CultureInfo.InvariantCulture, $"timed out after {command.Timeout.TotalSeconds:0.###} s; the command and its processes were ended"));
        }
        else if (outcome.Aborted)
        {
            return false;
        }

        return true;
    }

    /// <summary>Sends the header and the body; <see langword="false"/> when the client cannot take it (reset or gone).</summary>
    private async Task<bool> SendAsync(ConnectionContext connection, LegacyOutput reply, CancellationTokenSource deadline)
    {
        var output = connection.Transport.Output;
        var stopping = Lifetime.ApplicationStopping;
        output.Write(LegacyReplyHeader.For(reply.Length));
        return await reply.CopyToAsync(chunk =>
            {
                output.Write(chunk.Span);
                return RawConnection.FlushAsync(connection, deadline, WriteTimeout, Logger, stopping);
            }).ConfigureAwait(false)
            && await RawConnection.FlushAsync(connection, deadline, WriteTimeout, Logger, stopping).ConfigureAwait(false);
    }

    private static string Decode(byte[] received)
    {
        try
        {
            return StrictUtf8.GetString(received);
        }
        catch (DecoderFallbackException)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, "the command is not valid UTF-8");
        }
    }
}
