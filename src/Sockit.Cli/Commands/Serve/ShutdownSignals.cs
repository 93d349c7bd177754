using System.Runtime.InteropServices;

namespace Sockit.Cli.Commands.Serve;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for <c>sockit serve</c>: the first asks for a graceful stop, any later one for closing
/// the connections still open at once. The server owns these signals itself, because only it knows how long its
/// configured grace period is.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _stopNow = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _count;
    private PosixSignal? _first;

    private ShutdownSignals()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Cancelled by the first signal: stop accepting, let requests in progress finish.</summary>
    public CancellationToken Stop => _stop.Token;

    /// <summary>Cancelled by a second signal: stop waiting for requests in progress.</summary>
    public CancellationToken StopNow => _stopNow.Token;

    /// <summary>The signal that asked for the stop; <see langword="null"/> while <see cref="Stop"/> is not cancelled.</summary>
    public PosixSignal? First => _first;

    /// <summary>Takes over SIGINT and SIGTERM until disposed.</summary>
    public static ShutdownSignals Listen() => new();

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
        _stopNow.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // The runtime's default would end the process on the spot, cutting off requests in progress.
        context.Cancel = true;
        if (Interlocked.Increment(ref _count) == 1)
        {
            _first = context.Signal;
            _stop.Cancel();
        }
        else
        {
            _stopNow.Cancel();
        }
    }
}
