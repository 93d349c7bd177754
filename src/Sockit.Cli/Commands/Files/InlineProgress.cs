namespace Sockit.Cli.Commands.Files;

/// <summary>
/// Progress reported on the caller's thread. <see cref="Progress{T}"/> posts every report to the thread pool, where
/// reports can arrive after the transfer has finished, or out of order.
/// </summary>
internal sealed class InlineProgress(Action<long> report) : IProgress<long>
{
    public void Report(long value) => report(value);
}
