using System.Globalization;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// Progress for a standard error that is not a terminal: every few seconds one plain line with the files and bytes
/// done, the rate and the time left; with no interval (<c>--quiet</c>), only the failures.
/// </summary>
internal sealed class PlainTransferDisplay : TransferDisplay
{
    /// <summary>How often a line is written.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    private readonly TextWriter _error;
    private readonly string _verb;
    private readonly TimeSpan? _interval;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<TransferItem, long> _running = [];
    private long _finishedBytes;
    private int _finishedFiles;

    /// <param name="error">Where lines go.</param>
    /// <param name="verb"><c>put</c> or <c>get</c>, the lines' prefix.</param>
    /// <param name="interval">How often a progress line is written; <see langword="null"/> for none.</param>
    /// <param name="time">The clock of the interval and the rate.</param>
    public PlainTransferDisplay(TextWriter error, string verb, TimeSpan? interval, TimeProvider time)
    {
        _error = error;
        _verb = verb;
        _interval = interval;
        _time = time;
    }

    public override async Task<T> RunAsync<T>(TransferPlan plan, Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(body);
        if (_interval is not { } interval)
        {
            return await body().ConfigureAwait(false);
        }

        long started = _time.GetTimestamp();
        using var stop = new CancellationTokenSource();
        var ticker = TickAsync(plan, interval, started, stop.Token);
        try
        {
            return await body().ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await ticker.ConfigureAwait(false);
        }
    }

    private async Task TickAsync(TransferPlan plan, TimeSpan interval, long started, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                WriteLine(Line(plan.Files.Count, plan.TotalBytes, _time.GetElapsedTime(started)));
            }
        }
        catch (OperationCanceledException)
        {
            // The transfers are over; the verb writes the closing line.
        }
    }

    /// <summary>A progress line: <c>put: 3/10 files, 1.0 MiB of 4.0 MiB (25%), 2.0 MiB/s, 0:02 left</c>.</summary>
    public string Line(int files, long bytes, TimeSpan elapsed)
    {
        long done;
        int finished;
        lock (_gate)
        {
            done = _finishedBytes + _running.Values.Sum();
            finished = _finishedFiles;
        }

        double rate = done / Math.Max(elapsed.TotalSeconds, 0.001);
        var left = rate > 0 ? TimeSpan.FromSeconds(Math.Min((bytes - done) / rate, TimeSpan.MaxValue.TotalSeconds / 2)) : (TimeSpan?)null;
        int percent = bytes == 0 ? 100 : (int)(done * 100 / bytes);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{_verb}: {finished}/{files} files, {EntryFormat.Size(done)} of {EntryFormat.Size(bytes)} ({percent}%), {EntryFormat.Size((long)rate)}/s, {(left is { } l ? $"{(int)l.TotalMinutes}:{l.Seconds:00}" : "?")} left");
    }

    public override IProgress<long> Start(TransferItem item)
    {
        lock (_gate)
        {
            _running[item] = 0;
        }

        return new InlineProgress(done =>
        {
            lock (_gate)
            {
                if (_running.ContainsKey(item))
                {
                    _running[item] = done;
                }
            }
        });
    }

    public override void Finish(TransferItem item, bool succeeded)
    {
        lock (_gate)
        {
            _running.Remove(item);
            if (succeeded)
            {
                _finishedBytes += item.Size;
                _finishedFiles++;
            }
        }
    }

    public override void WriteLine(string line)
    {
        lock (_gate)
        {
            _error.WriteLine(line);
        }
    }
}
