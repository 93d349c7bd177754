using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Sockit.Cli;

/// <summary>
/// The local terminal (standard input) in raw mode while a remote terminal is in use: every key goes to the remote
/// program as typed, Ctrl+C and Ctrl+Z included, and nothing is echoed or edited locally, as <c>ssh</c> does. The
/// settings before are restored on <see cref="Dispose"/> and, should the process end some other way, at its exit.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed partial class RawTerminal : IDisposable
{
    private const int StandardInput = 0;

    // TCSADRAIN: the same value on Linux, macOS and the BSDs. Output already written goes out under the old settings.
    private const int WhenDrained = 1;

    // struct termios is 60 bytes on Linux and 72 on macOS; it is kept opaque, in a buffer larger than either, since
    // only the C library reads or changes it.
    private const int TermiosBufferSize = 256;

    private readonly byte[] _saved;
    private int _restored;

    private RawTerminal(byte[] saved) => _saved = saved;

    /// <summary>
    /// Puts the terminal on standard input in raw mode; <see langword="null"/> when standard input is not a terminal.
    /// </summary>
    /// <exception cref="IOException">The terminal refused the new settings.</exception>
    public static RawTerminal? Enter()
    {
        var saved = new byte[TermiosBufferSize];
        if (GetAttributes(StandardInput, ref saved[0]) != 0)
        {
            return null;
        }

        var raw = (byte[])saved.Clone();
        MakeRaw(ref raw[0]);
        var terminal = new RawTerminal(saved);

        // Registered first, so that no way out of the process (a signal's handler timing out, say) leaves it raw.
        AppDomain.CurrentDomain.ProcessExit += terminal.OnProcessExit;
        if (SetAttributes(StandardInput, WhenDrained, ref raw[0]) != 0)
        {
            var error = Marshal.GetLastPInvokeErrorMessage();
            terminal.Dispose();
            throw new IOException($"cannot put the terminal in raw mode: {error}");
        }

        return terminal;
    }

    /// <summary>Restores the terminal's settings from before <see cref="Enter"/>; only the first call does anything.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _restored, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;

        // Nothing to do if it fails: the terminal is gone (hung up), or it was never changed.
        _ = SetAttributes(StandardInput, WhenDrained, ref _saved[0]);
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static partial int GetAttributes(int fd, ref byte termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static partial int SetAttributes(int fd, int optionalActions, ref byte termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    private static partial void MakeRaw(ref byte termios);
}
