using Microsoft.Extensions.Hosting;

namespace Sockit.Cli.Commands.Serve;

/// <summary>
/// The host lifetime of <c>sockit serve</c>: unlike the default console lifetime it takes no signals, so that
/// <see cref="ShutdownSignals"/> alone decides when and how the server stops, and with which exit code.
/// </summary>
internal sealed class SignalFreeLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
