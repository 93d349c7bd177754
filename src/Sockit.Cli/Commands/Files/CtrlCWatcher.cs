namespace Sockit.Cli.Commands.Files;

/// <summary>
/// Watches the terminal for Ctrl+C while an ftp command runs, so that Ctrl+C stops that command and the prompt comes
/// back. The session takes Ctrl+C as a key rather than a signal (a signal would end the whole program); a key is seen
/// only when looked for, so the keyboard is checked a few times a second. Other keys typed meanwhile are kept for
/// the next line.
/// </summary>
internal sealed class CtrlCWatcher : IKeySource
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly IKeySource _keys;
    private readonly Queue<ConsoleKeyInfo> _typedAhead = new();

    public CtrlCWatcher(IKeySource keys)
    {
        _keys = keys;
    }

    public bool KeyAvailable => _typedAhead.Count > 0 || _keys.KeyAvailable;

    public ConsoleKeyInfo ReadKey() => _typedAhead.TryDequeue(out var key) ? key : _keys.ReadKey();

    /// <summary>Runs <paramref name="command"/> with a token that Ctrl+C (or <paramref name="cancellationToken"/>) cancels.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> command, CancellationToken cancellationToken)
    {
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var done = new CancellationTokenSource();
        var watch = WatchAsync(interrupted, done.Token);
        try
        {
            return await command(interrupted.Token).ConfigureAwait(false);
        }
        finally
        {
            await done.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
        }
    }

    private async Task WatchAsync(CancellationTokenSource interrupted, CancellationToken done)
    {
        try
        {
            while (!done.IsCancellationRequested)
            {
                while (_keys.KeyAvailable)
                {
                    var key = _keys.ReadKey();
                    if (key.KeyChar == '\u0003' || (key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control)))
                    {
                        await interrupted.CancelAsync().ConfigureAwait(false);
                    }
                    else
                    {
                        _typedAhead.Enqueue(key);
                    }
                }

                await Task.Delay(PollInterval, done).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // The command is over.
        }
    }
}
