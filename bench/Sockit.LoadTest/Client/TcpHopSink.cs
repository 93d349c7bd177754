using System.Diagnostics;
using System.Globalization;

namespace Sockit.LoadTest.Client;

/// <summary>
/// The receiving end of the stream test's loopback TCP anchor (<c>tcp_hop.py listen</c>): every exec byte crosses
/// loopback TCP once, so one plain hop shows what that alone costs on this machine.
/// </summary>
internal sealed class TcpHopSink : IDisposable
{
    private readonly Process _listener;

    private TcpHopSink(Process listener, int port)
    {
        _listener = listener;
        Port = port;
    }

    /// <summary>The script, beside the tool.</summary>
    public static string Script { get; } = Path.Combine(AppContext.BaseDirectory, "tcp_hop.py");

    /// <summary>The port it listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Starts the listener; it is ready once it has printed its port.</summary>
    public static async Task<TcpHopSink> StartAsync(string python, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(python) { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add("listen");
        var listener = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}");
        var line = await listener.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (!int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int port))
        {
            listener.Kill();
            listener.Dispose();
            throw new InvalidDataException($"tcp_hop.py listen printed '{line}' instead of its port");
        }

        return new TcpHopSink(listener, port);
    }

    /// <summary>Waits for the listener to have read everything (the sender's end of stream ends it).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _listener.WaitForExitAsync(cancellationToken);

    public void Dispose()
    {
        if (!_listener.HasExited)
        {
            _listener.Kill();
        }

        _listener.Dispose();
    }
}
