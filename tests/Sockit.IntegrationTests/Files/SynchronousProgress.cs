namespace Sockit.IntegrationTests.Files;

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, so a test sees every value in order.</summary>
internal sealed class SynchronousProgress(Action<long> report) : IProgress<long>
{
    public void Report(long value) => report(value);
}
