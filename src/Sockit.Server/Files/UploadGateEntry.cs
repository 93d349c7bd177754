namespace Sockit.Server.Files;

/// <summary>An upload's hold on its target in the <see cref="UploadGate"/>; disposing it more than once lets go once.</summary>
internal sealed class UploadGateEntry(Action leave) : IDisposable
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
