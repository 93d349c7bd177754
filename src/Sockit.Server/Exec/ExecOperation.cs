using Microsoft.Extensions.Logging;
using Sockit.Protocol.Exec;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Server.Accounts;
using Sockit.Server.Exec.Internal;
using Sockit.Server.Sessions;

namespace Sockit.Server.Exec;

/// <summary>
/// <c>exec</c>: runs a command and streams its stdout and stderr as parts while it runs, takes its stdin from the body
/// and <c>input</c> frames, and ends with its exit status (docs/protocol.md, 5.6).
/// </summary>
internal sealed class ExecOperation(ExecOptions options, ExecLimiter limiter, ILogger<ExecOperation> logger) : ISockitOperation
{
    /// <summary>The largest request body, the start of stdin; more comes in <c>input</c> frames.</summary>
    public const int MaxStdinBodyLength = ProtocolInfo.MaxPartBodyLength;

    public string Name => Ops.Exec;

    public long MaxBodyLength => MaxStdinBodyLength;

    public Permissions RequiredPermissions => Permissions.Exec;

    public async ValueTask ExecuteAsync(SockitRequest request)
    {
        var session = request.Session;
        string user = session.User?.Name ?? $"(anonymous {session.ClientHost})";
        ExecRequest? header = null;
        ExecCommand command;
        try
        {
            header = request.ReadArguments(ExecJsonContext.Default.ExecRequest);
            if (!options.Enabled)
            {
                throw new SockitException(SockitErrorCode.Forbidden, "remote commands are switched off on this server (Sockit:Exec:Enabled)");
            }

            command = ExecCommand.FromRequest(header, options, request.Id is not null);
        }
        catch (SockitException ex)
        {
            ExecLog.Refused(logger, "exec", Protocol.Text.UntrustedText.Escape(user), session.RemoteAddress, Describe(header), ex.Code.Value, ex.Message);
            throw;
        }

        // Small and bounded (MaxBodyLength): read whole before the command starts, so a command that never reads its
        // stdin cannot keep the connection from reading the frames behind this request (a cancel among them).
        var stdin = request.Head.DataSize > 0
            ? await request.ReadBodyAsArrayAsync(MaxStdinBodyLength, request.Aborted).ConfigureAwait(false)
            : [];

        using var slot = limiter.Enter(user);
        using var run = CommandRun.Start(command);
        request.OnControl(head => Steer(run, head));
        var outcome = await run.RunAsync(
            (stderr, chunk) => request.SendPartAsync(
                new ExecOutput { Id = request.Id, Stream = stderr ? ExecStreams.Stderr : ExecStreams.Stdout, DataSize = chunk.Length },
                ExecJsonContext.Default.ExecOutput,
                chunk),
            stdin,
            command.KeepsInputOpen ? request.ReadInputAsync : null,
            options.KillGrace,
            request.Aborted).ConfigureAwait(false);
        request.OnControl(null);

        // The command is over: its slot is free before the reply goes out, so a client that runs commands one after
        // another (as many at once as it may) never finds its own last one still counted.
        slot.Dispose();
        ExecLog.Ran(logger, "exec", Protocol.Text.UntrustedText.Escape(user), session.RemoteAddress, command.Display, outcome);

        if (request.AbortReason is AbortReason.Disconnected or AbortReason.ShuttingDown)
        {
            // Nobody to tell (disconnect), or the server's own reply says it (shutting_down).
            throw new OperationCanceledException("the command's request was aborted", request.Aborted);
        }

        await request.ReplyAsync(Reply(request.Id, outcome), ExecJsonContext.Default.ExecReply).ConfigureAwait(false);
    }

    /// <summary>The final reply for a command that ended as <paramref name="outcome"/> says.</summary>
    internal static ExecReply Reply(long? id, ExecOutcome outcome) => new()
    {
        Id = id,
        ExitCode = outcome.Exit.ExitCode,
        Signal = outcome.Exit.Signal,
        SignalName = outcome.Exit.Signal is int signal ? ExecSignals.NameOf(signal) : null,
        TimedOut = outcome.TimedOut,
        Cancelled = outcome.Aborted,
        DurationMs = (long)outcome.Duration.TotalMilliseconds,
        StdoutBytes = outcome.StdoutBytes,
        StderrBytes = outcome.StderrBytes,
        StdinBytes = outcome.StdinBytes,
    };

    private static string Describe(ExecRequest? header) =>
        Protocol.Text.UntrustedText.Escape(header?.Command ?? (header?.Argv is { } argv ? string.Join(' ', argv) : "(none)"), 2000);

    private static void Steer(CommandRun run, FrameHead head)
    {
        var control = head.Deserialize(ExecJsonContext.Default.ExecControl);
        if (control.Rows is not null || control.Cols is not null)
        {
            if (control.Rows is not (>= 1 and <= ExecCommand.MaxTerminalSide) || control.Cols is not (>= 1 and <= ExecCommand.MaxTerminalSide))
            {
                throw new SockitException(SockitErrorCode.InvalidArgument, $"control: rows and cols must both be from 1 to {ExecCommand.MaxTerminalSide}");
            }

            run.Resize(new WindowSize((ushort)control.Rows.Value, (ushort)control.Cols.Value));
        }

        if (control.Signal is not null)
        {
            if (!ExecSignals.TryGetSendable(control.Signal, out int signal))
            {
                throw new SockitException(
                    SockitErrorCode.InvalidArgument,
                    $"control: '{Protocol.Text.UntrustedText.Escape(control.Signal)}' is not a signal a client may send ({string.Join(", ", ExecSignals.Sendable)})");
            }

            run.Signal(signal);
        }
    }
}
