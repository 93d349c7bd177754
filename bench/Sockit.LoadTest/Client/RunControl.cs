namespace Sockit.LoadTest.Client;

/// <summary>The phase every connection loop of a run reads: warming up, measuring, or stopping.</summary>
public sealed class RunControl
{
    private const int WarmingUp = 0;
    private const int Measuring = 1;
    private const int Stopping = 2;

    private int _phase = WarmingUp;

    public bool IsMeasuring => Volatile.Read(ref _phase) == Measuring;

    public bool IsStopping => Volatile.Read(ref _phase) == Stopping;

    public void StartMeasuring() => Volatile.Write(ref _phase, Measuring);

    public void Stop() => Volatile.Write(ref _phase, Stopping);
}
