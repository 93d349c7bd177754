namespace Sockit.Cli.Commands.Files;

/// <summary>The failures of a batch of transfers so far: how many, and the exit code of the first.</summary>
internal sealed class TransferFailures
{
    private readonly Lock _gate = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public ExitCode First { get; private set; } = ExitCode.Ok;

    /// <summary>
    /// Counts a failure and writes its line on <paramref name="display"/>; a failure already reported (a file in a folder
    /// that could not be made: <paramref name="problem"/> is <see langword="null"/>) is only counted.
    /// </summary>
    public void Add(TransferDisplay display, string? label, Exception? problem)
    {
        ArgumentNullException.ThrowIfNull(display);
        Interlocked.Increment(ref _count);
        if (problem is null)
        {
            return;
        }

        display.WriteLine(FileVerb.Describe(label ?? "", problem));
        lock (_gate)
        {
            if (First == ExitCode.Ok)
            {
                First = FileVerb.ExitCodeFor(problem);
            }
        }
    }
}
