using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Server.Sessions;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Tests.Sessions;

/// <summary>
/// A session without a socket: what the client sends goes into one pipe, which the server's <see cref="FrameReader"/>
/// reads; what the server sends comes out of another, which the test reads frame by frame.
/// </summary>
internal sealed class SessionHarness : IAsyncDisposable
{
    private readonly Pipe _fromClient = new();
    // Room for a few whole parts, so a test can send before it reads.
    private readonly Pipe _toClient = new(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024));
    private readonly FrameReader _clientReader;

    public SessionHarness(int inFlightLimit = 4)
    {
        Reader = new FrameReader(_fromClient.Reader);
        Output = new SessionOutput(_toClient.Writer, TimeSpan.FromSeconds(10));
        Requests = new InFlightRequests(inFlightLimit);
        Session = new SockitSession("test", "127.0.0.1:1", "127.0.0.1", Output, Requests);
        _clientReader = new FrameReader(_toClient.Reader);
    }

    /// <summary>The server's side of the connection.</summary>
    public FrameReader Reader { get; }

    public SessionOutput Output { get; }

    public InFlightRequests Requests { get; }

    public SockitSession Session { get; }

    /// <summary>A request object as the loop makes one, not started.</summary>
    public SockitRequest NewRequest(int inputWindow = 1000) => new(Session, Reader, inputWindow);

    /// <summary>Starts <paramref name="request"/> on a request frame with <paramref name="header"/>, as the loop does.</summary>
    public async Task<SockitRequest> StartAsync(SockitRequest request, string header = """{"op":"probe","id":1}""")
    {
        var head = await ClientSendsAsync(header);
        request.Start(head);
        return request;
    }

    /// <summary>Starts a new request with <paramref name="inputWindow"/>.</summary>
    public Task<SockitRequest> StartAsync(int inputWindow = 1000, string header = """{"op":"probe","id":1}""") =>
        StartAsync(NewRequest(inputWindow), header);

    /// <summary>The client sends an <c>input</c> frame; the loop hands it to <paramref name="request"/>.</summary>
    public async Task AcceptInputAsync(SockitRequest request, byte[] chunk)
    {
        var head = await ClientSendsAsync($$"""{"kind":"input","id":1,"data_size":{{chunk.Length}}}""", chunk);
        Assert.Equal(FrameKind.Input, head.Kind);
        await request.AcceptInputAsync(Reader, head.DataSize);
    }

    /// <summary>The client sends a frame; returns its head as the server's reader reads it.</summary>
    public async Task<FrameHead> ClientSendsAsync(string header, byte[]? body = null)
    {
        var bytes = Encoding.UTF8.GetBytes(header);
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(prefix, bytes.Length);
        await _fromClient.Writer.WriteAsync(prefix);
        await _fromClient.Writer.WriteAsync(bytes);
        await _fromClient.Writer.WriteAsync(body ?? []);
        return await Reader.ReadHeadAsync() ?? throw new InvalidOperationException("no frame");
    }

    /// <summary>Reads the next frame the server sent, as a control frame (kind, id, credit, data_size).</summary>
    public Task<(ControlFrame Header, byte[] Body)> ReadSentAsync() => ReadSentAsync(SockitJsonContext.Default.ControlFrame);

    /// <summary>Reads the next frame the server sent, its header as <typeparamref name="T"/>.</summary>
    public async Task<(T Header, byte[] Body)> ReadSentAsync<T>(JsonTypeInfo<T> typeInfo)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var head = await _clientReader.ReadHeadAsync(timeout.Token) ?? throw new InvalidOperationException("no frame");
        var header = head.Deserialize(typeInfo);
        return (header, await _clientReader.ReadBodyAsArrayAsync(int.MaxValue, timeout.Token));
    }

    /// <summary>
    /// Asserts that the server has sent nothing more: a marker frame written now through the output must be the next
    /// one out.
    /// </summary>
    public async Task AssertNothingSentAsync()
    {
        await Output.EnterAsync();
        try
        {
            FrameWriter.WriteHeader(Output.Writer, new ControlFrame { Kind = "marker" }, SockitJsonContext.Default.ControlFrame);
            await Output.FlushAsync();
        }
        finally
        {
            Output.Exit();
        }

        var (next, _) = await ReadSentAsync();
        Assert.Equal("marker", next.Kind);
    }

    public async ValueTask DisposeAsync()
    {
        await _fromClient.Writer.CompleteAsync();
        await _toClient.Writer.CompleteAsync();
        Reader.Dispose();
        _clientReader.Dispose();
        Output.Dispose();
    }
}
