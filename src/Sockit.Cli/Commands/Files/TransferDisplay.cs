namespace Sockit.Cli.Commands.Files;

/// <summary>
/// How a batch of transfers shows its progress on standard error: bars at a terminal, a plain line every few seconds
/// for a log, or nothing with <c>--quiet</c>. Failures are written through it too, so they do not tear the bars.
/// </summary>
internal abstract class TransferDisplay
{
    /// <summary>The display that fits <paramref name="context"/>'s standard error.</summary>
    public static TransferDisplay Create(CliContext context, string verb, bool quiet)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.ErrorIsTerminal && !quiet
            ? new SpectreTransferDisplay(context.Error)
            : new PlainTransferDisplay(context.Error, verb, quiet ? null : PlainTransferDisplay.DefaultInterval, TimeProvider.System);
    }

    /// <summary>Shows progress while <paramref name="body"/> runs the transfers of <paramref name="plan"/>.</summary>
    public abstract Task<T> RunAsync<T>(TransferPlan plan, Func<Task<T>> body);

    /// <summary>A file starts; the returned progress is told the bytes done so far.</summary>
    public abstract IProgress<long> Start(TransferItem item);

    /// <summary>A file is done (<paramref name="succeeded"/>) or has failed, and its line goes.</summary>
    public abstract void Finish(TransferItem item, bool succeeded);

    /// <summary>Writes a line (a failure, a notice) without disturbing the progress shown.</summary>
    public abstract void WriteLine(string line);
}
