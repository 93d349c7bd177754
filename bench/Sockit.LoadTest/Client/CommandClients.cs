using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Sockit.Client;
using Sockit.LoadTest.Children;

namespace Sockit.LoadTest.Client;

/// <summary>
/// One client of the spawn-rate test: it runs one command at a time, each to its end, over and over. Each kind
/// speaks to its server the way its users do.
/// </summary>
internal interface ICommandClient : IAsyncDisposable
{
    /// <summary>Opens the connection, if the kind keeps one.</summary>
    Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Runs the command once: sends it, reads all its output and how it ended.</summary>
    /// <exception cref="InvalidDataException">The command failed or the reply was not what it should be.</exception>
    Task RunOnceAsync(CancellationToken cancellationToken);
}

/// <summary>Sockit's <c>exec</c> through the client library, on a connection of its own.</summary>
internal sealed class SockitExecClient(string address, string command) : ICommandClient
{
    private SockitClient? _client;

    public async Task ConnectAsync(CancellationToken cancellationToken) =>
        _client = await SockitClient.ConnectAsync(address, cancellationToken: cancellationToken).ConfigureAwait(false);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var execution = await _client!.ExecAsync(command, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (execution.ConfigureAwait(false))
        {
            await foreach (var _ in execution.ReadOutputAsync(cancellationToken).ConfigureAwait(false))
            {
                // Discarded: `true` writes nothing anyway.
            }

            var result = await execution.GetResultAsync().ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidDataException($"'{command}' ended with status {result.ShellStatus}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>
/// The tutorials' command client (tutorial 000): sends the command, reads <c>struct.pack("i")</c>, the JSON header
/// <c>{"data_size": N}</c> and N bytes of output. For the Python baseline and Sockit's legacy command listener alike.
/// </summary>
internal sealed class TutorialCommandClient(IPEndPoint endpoint, string command) : ICommandClient
{
    private readonly byte[] _command = Encoding.UTF8.GetBytes(command);
    private readonly byte[] _buffer = new byte[64 * 1024];
    private Socket? _socket;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await _socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var socket = _socket!;
        await socket.SendAsync(_command, cancellationToken).ConfigureAwait(false);
        await ReceiveExactAsync(socket, _buffer.AsMemory(0, 4), cancellationToken).ConfigureAwait(false);
        int headLength = BinaryPrimitives.ReadInt32LittleEndian(_buffer);
        if (headLength is <= 0 or > 4096)
        {
            throw new InvalidDataException($"header length {headLength}");
        }

        await ReceiveExactAsync(socket, _buffer.AsMemory(0, headLength), cancellationToken).ConfigureAwait(false);
        long remaining;
        using (var head = JsonDocument.Parse(_buffer.AsMemory(0, headLength)))
        {
            remaining = head.RootElement.GetProperty("data_size").GetInt64();
        }

        while (remaining > 0)
        {
            int read = await socket.ReceiveAsync(_buffer.AsMemory(0, (int)Math.Min(remaining, _buffer.Length)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new InvalidDataException("the server closed the connection in the middle of a reply");
            }

            remaining -= read;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task ReceiveExactAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            int read = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new InvalidDataException("the server closed the connection");
            }

            buffer = buffer[read..];
        }
    }
}

/// <summary>
/// <c>ssh -p PORT 127.0.0.1 COMMAND</c> against a private <c>sshd</c>: a new <c>ssh</c> process, connection, key
/// exchange and login per command, as a user typing it gets; or, with a master's control socket, a new session on
/// the master's connection (still a new <c>ssh</c> process).
/// </summary>
internal sealed class SshCommandClient(PrivateSshd sshd, string command, bool multiplexed) : ICommandClient
{
    public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var start = sshd.ClientStart(command, multiplexed);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start ssh");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await stdout.ConfigureAwait(false);
        string errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidDataException($"ssh exited with {process.ExitCode}: {errors.Trim()}");
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
