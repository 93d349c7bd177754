namespace Sockit.Server.Exec;

/// <summary>A running command's place in the <see cref="ExecLimiter"/>; disposing it more than once frees it once.</summary>
internal sealed class ExecSlot(Action leave) : IDisposable
{
    private int _left;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _left, 1) == 0)
        {
            leave();
        }
    }
}
