using System.Collections.Concurrent;
using System.Globalization;
using Spectre.Console;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// Progress bars at a terminal: a line for the whole batch, then one line per file in flight with its bytes, rate and
/// time left. A finished file's line goes away, so a thousand small files do not scroll the screen.
/// </summary>
internal sealed class SpectreTransferDisplay : TransferDisplay
{
    // A description wider than this would push the bar off a narrow terminal.
    private const int LabelWidth = 36;

    private readonly IAnsiConsole _console;
    private readonly ConcurrentDictionary<TransferItem, ProgressTask> _tasks = new();
    private ProgressContext? _context;
    private ProgressTask? _total;
    private TransferPlan? _plan;
    private int _finished;

    public SpectreTransferDisplay(TextWriter error)
    {
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(error),
        });
    }

    public override Task<T> RunAsync<T>(TransferPlan plan, Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(body);
        _plan = plan;
        return _console.Progress()
            .AutoClear(false)
            .HideCompleted(true)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn { Culture = CultureInfo.InvariantCulture },
                new TransferSpeedColumn { Culture = CultureInfo.InvariantCulture },
                new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                _context = context;
                _total = context.AddTask(TotalLabel(), maxValue: Math.Max(plan.TotalBytes, 1));
                try
                {
                    return await body().ConfigureAwait(false);
                }
                finally
                {
                    // The batch's line stays on the screen, complete or where an interruption left it: a stopped task
                    // would be hidden with the finished files.
                    context.Refresh();
                }
            });
    }

    public override IProgress<long> Start(TransferItem item)
    {
        var context = _context ?? throw new InvalidOperationException("the display is not running");
        var task = context.AddTask(Markup.Escape(Fit(item.Label)), maxValue: Math.Max(item.Size, 1));
        _tasks[item] = task;
        long reported = 0;
        return new InlineProgress(done =>
        {
            // The batch's bar moves by what this file added since its last report.
            _total?.Increment(done - Interlocked.Exchange(ref reported, done));
            task.Value = done;
        });
    }

    public override void Finish(TransferItem item, bool succeeded)
    {
        if (!_tasks.TryRemove(item, out var task))
        {
            return;
        }

        if (succeeded)
        {
            // An empty file never reports a byte, and a resumed one may report less than all.
            _total?.Increment(item.Size - task.Value);
            task.Value = task.MaxValue;
            if (Interlocked.Increment(ref _finished) == _plan?.Files.Count && _total is { } total)
            {
                // Empty files add no bytes: the batch is complete when its files are.
                total.Value = total.MaxValue;
            }
        }
        else
        {
            _total?.Increment(-task.Value);
        }

        task.StopTask();
        _total?.Description = TotalLabel();
    }

    public override void WriteLine(string line) => _console.WriteLine(line);

    private string TotalLabel() => string.Create(
        CultureInfo.InvariantCulture, $"[bold]{Volatile.Read(ref _finished)}/{_plan?.Files.Count ?? 0} files[/]");

    /// <summary>The end of <paramref name="label"/>, which names the file, in at most <see cref="LabelWidth"/> cells.</summary>
    public static string Fit(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label.GetCellWidth() <= LabelWidth)
        {
            return label;
        }

        int start = label.Length;
        int width = 1;
        while (start > 0 && width + label[start - 1].GetCellWidth() <= LabelWidth)
        {
            start--;
            width += label[start].GetCellWidth();
        }

        // Never split a surrogate pair.
        if (start < label.Length && char.IsLowSurrogate(label[start]))
        {
            start++;
        }

        return "…" + label[start..];
    }
}
