using System.Runtime.InteropServices;

namespace Sockit.Cli.Commands.Remote;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for <c>sockit shell</c>. Ctrl+C while a command runs cancels that command only, as in a
/// local shell; Ctrl+C at the prompt, and SIGTERM at any time, end the shell. The shell takes the signals itself: the
/// parser's handling would end the whole program at the first Ctrl+C.
/// </summary>
internal sealed class ShellSignals : IDisposable
{
    private readonly CancellationTokenSource _end;
    private readonly PosixSignalRegistration[] _registrations;
    private CancellationTokenSource? _command;

    private ShellSignals(bool listen, CancellationToken cancellationToken)
    {
        _end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _registrations = listen
            ? [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)]
            : [];
    }

    /// <summary>Cancelled when the shell is to end: by the token given to <see cref="Listen"/>, or a signal.</summary>
    public CancellationToken Ended => _end.Token;

    /// <summary>Takes over SIGINT and SIGTERM until disposed, if <paramref name="listen"/>; tests leave them alone.</summary>
    public static ShellSignals Listen(bool listen, CancellationToken cancellationToken) => new(listen, cancellationToken);

    /// <summary>The command that Ctrl+C cancels from now on; <see langword="null"/> when the shell is back at its prompt.</summary>
    public void Running(CancellationTokenSource? command) => Volatile.Write(ref _command, command);

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _end.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // The runtime's default would end the process on the spot, leaving no line and no word to the server.
        context.Cancel = true;
        try
        {
            if (context.Signal == PosixSignal.SIGINT && Volatile.Read(ref _command) is { } command)
            {
                command.Cancel();
            }
            else
            {
                _end.Cancel();
            }
        }
        catch (ObjectDisposedException)
        {
            // The command, or the shell, ended just as the signal came.
        }
    }
}
