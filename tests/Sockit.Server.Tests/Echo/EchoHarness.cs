using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Sockit.Protocol.Framing;
using Sockit.Server.Sessions;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Tests.Echo;

/// <summary>Runs one operation on one request over in-memory pipes, the way a connection's loop would.</summary>
internal sealed class EchoHarness : IAsyncDisposable
{
    private readonly Pipe _input = new(new PipeOptions(pauseWriterThreshold: 0));
    // The test writes whole bodies before the operation reads them, and reads the output only at the end: neither pipe
    // may push back.
    private readonly Pipe _output = new(new PipeOptions(pauseWriterThreshold: 0));
    private readonly FrameReader _reader;
    private readonly SessionOutput _sessionOutput;

    public EchoHarness()
    {
        _reader = new FrameReader(_input.Reader);
        _sessionOutput = new SessionOutput(_output.Writer, Timeout.InfiniteTimeSpan);
        Session = new SockitSession("test", "127.0.0.1:1", "127.0.0.1", _sessionOutput, new InFlightRequests(4));
    }

    public SockitSession Session { get; }

    /// <summary>Sends a request frame: its header and as much of its body as <paramref name="sent"/> says (all by default).</summary>
    public async Task<SockitRequest> ReceiveAsync(string header, byte[] body, int? sent = null)
    {
        var prefix = new byte[FrameParser.PrefixLength];
        var headerBytes = Encoding.UTF8.GetBytes(header);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(prefix, headerBytes.Length);
        await _input.Writer.WriteAsync(prefix);
        await _input.Writer.WriteAsync(headerBytes);
        await _input.Writer.WriteAsync(body.AsMemory(0, sent ?? body.Length));
        var head = await _reader.ReadHeadAsync() ?? throw new InvalidOperationException("no head");
        var request = new SockitRequest(Session, _reader, 65536);
        request.Start(head);
        return request;
    }

    /// <summary>Sends more body bytes of the request in progress.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes) => await _input.Writer.WriteAsync(bytes);

    /// <summary>Everything written so far, as (header JSON, body) frames.</summary>
    public async Task<List<(string Header, byte[] Body)>> FramesAsync()
    {
        await _sessionOutput.FlushPendingAsync();
        await _output.Writer.CompleteAsync();
        var frames = new List<(string, byte[])>();
        var result = await _output.Reader.ReadAsync();
        while (!result.IsCompleted)
        {
            _output.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await _output.Reader.ReadAsync();
        }

        var buffer = result.Buffer;
        while (FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head))
        {
            var header = Encoding.UTF8.GetString(head.Header.ToArray());
            var body = buffer.Slice(0, head.DataSize).ToArray();
            buffer = buffer.Slice(head.DataSize);
            frames.Add((header, body));
        }

        Assert.True(buffer.IsEmpty, "the output ends inside a frame");
        return frames;
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _sessionOutput.Dispose();
        await _input.Writer.CompleteAsync();
        await _input.Reader.CompleteAsync();
    }
}
