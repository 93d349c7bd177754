namespace Sockit.Cli.Tests.Fakes;

/// <summary>Input that never arrives, like a user who does not type: ReadLine blocks until disposed.</summary>
public sealed class BlockingReader : TextReader
{
    private readonly ManualResetEventSlim _release = new();
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once something waits for a line.</summary>
    public Task Reading => _reading.Task;

    public override string? ReadLine()
    {
        _reading.TrySetResult();
        _release.Wait();
        return null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _release.Set();
        }

        base.Dispose(disposing);
    }
}
