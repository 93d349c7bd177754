using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Sockit.Protocol.Framing;

namespace Sockit.Cli.Tests.Fakes;

/// <summary>
/// A framed-protocol server on 127.0.0.1 (ephemeral port) that greets every connection and answers each request
/// with what <c>respond</c> returns; by default it echoes (upper-casing on request) and tells a fake time. It greets
/// with <see cref="HelloJson"/> unless given a hello of its own.
/// </summary>
public sealed class FakeSockitServer : IAsyncDisposable
{
    public const string HelloJson =
        """{"op":"hello","ok":true,"server":"sockit","version":"0.1.0","protocol":1,"ops":["echo","time"],"auth":[],"nonce":"bm9uY2U=","max_header_length":65536}""";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<ReceivedRequest, FakeReply> _respond;
    private readonly string _hello;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _connectionCount;

    public FakeSockitServer(Func<ReceivedRequest, FakeReply>? respond = null, string hello = HelloJson)
    {
        _respond = respond ?? Respond;
        _hello = hello;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Address => $"127.0.0.1:{Port}";

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>The default behaviour: a well-behaved echo and time server.</summary>
    public static FakeReply Respond(ReceivedRequest request) => request.Op switch
    {
        "echo" => FakeReply.Ok(
            request,
            Encoding.UTF8.GetBytes(request.Header.TryGetProperty("upper", out var upper) && upper.GetBoolean()
                ? request.BodyText.ToUpperInvariant()
                : request.BodyText)),
        "time" => FakeReply.Time(request, $"time[{request.Format ?? "default"}]"),
        _ => FakeReply.Error(request, "unknown_op", $"unknown operation '{request.Op}'"),
    };

    /// <summary>Stops accepting: new connections are refused, open ones go on.</summary>
    public void StopAccepting() => _listener.Stop();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAll([_acceptLoop, .. _connections]).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            // A listener stopped (StopAccepting) before the loop comes round again refuses the call itself.
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _connectionCount);
            _connections.Add(ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var reader = new FrameReader(input);
        try
        {
            await stream.WriteAsync(Frame(_hello, null), _stop.Token);
            while (await reader.ReadHeadAsync(_stop.Token) is { } head)
            {
                var json = Encoding.UTF8.GetString(head.Header.ToArray());
                var body = await reader.ReadBodyAsArrayAsync(int.MaxValue, _stop.Token);
                var request = new ReceivedRequest(json, JsonDocument.Parse(json).RootElement.Clone(), body);
                Requests.Enqueue(request);
                var reply = _respond(request);
                if (reply.HeaderJson.Length > 0)
                {
                    await stream.WriteAsync(Frame(reply.HeaderJson, reply.Body), _stop.Token);
                }

                if (reply.ThenClose)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
            // The client went away or the test is over.
        }
        finally
        {
            reader.Dispose();
            await input.CompleteAsync();
        }
    }

    private static byte[] Frame(string headerJson, byte[]? body)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        body ??= [];
        var frame = new byte[4 + header.Length + body.Length];
        BitConverter.TryWriteBytes(frame, header.Length);
        header.CopyTo(frame, 4);
        body.CopyTo(frame, 4 + header.Length);
        return frame;
    }
}
