using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Sockit.Protocol.Framing;

namespace Sockit.Client.Tests.Fakes;

/// <summary>The server side of one connection: writes raw frames, reads the client's frames.</summary>
public sealed class FakeConnection : IAsyncDisposable
{
    public const string HelloJson =
        """{"op":"hello","ok":true,"server":"sockit","version":"0.1.0","protocol":1,"ops":["echo","time"],"auth":[],"nonce":"bm9uY2U=","max_header_length":65536}""";

    /// <summary>
    /// A protocol 2 hello with every feature, 4 requests in flight and an input window of 8 bytes, small enough for
    /// tests to run out of credit.
    /// </summary>
    public const string HelloV2Json =
        """{"op":"hello","ok":true,"server":"sockit","version":"0.2.0","protocol":2,"ops":["echo","time"],"auth":[],"nonce":"bm9uY2U=","max_header_length":65536,"features":["parts","concurrent","input","cancel","events"],"max_in_flight":4,"input_window":8}""";

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly FrameReader _reader;

    public FakeConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        _reader = new FrameReader(_input);
    }

    public Task SendHelloAsync(string hello = HelloJson) => SendAsync(hello);

    /// <summary>Sends a frame whose header is <paramref name="headerJson"/>, followed by <paramref name="body"/>.</summary>
    public async Task SendAsync(string headerJson, byte[]? body = null)
    {
        await SendRawAsync(Encode(headerJson, body));
    }

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes).AsTask().WaitAsync(TestTimeout.Value);
        await _stream.FlushAsync();
    }

    public static byte[] Encode(string headerJson, byte[]? body = null)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        body ??= [];
        var frame = new byte[4 + header.Length + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, header.Length);
        header.CopyTo(frame, 4);
        body.CopyTo(frame, 4 + header.Length);
        return frame;
    }

    /// <summary>Reads the client's next frame whole; null when the client closed the connection.</summary>
    public async Task<ReceivedFrame?> ReceiveAsync()
    {
        var head = await _reader.ReadHeadAsync().AsTask().WaitAsync(TestTimeout.Value);
        if (head is not { } frame)
        {
            return null;
        }

        var json = Encoding.UTF8.GetString(frame.Header.ToArray());
        var body = await _reader.ReadBodyAsArrayAsync(int.MaxValue).AsTask().WaitAsync(TestTimeout.Value);
        return new ReceivedFrame(json, JsonDocument.Parse(json).RootElement.Clone(), body);
    }

    /// <summary>Reads the client's next frames until one satisfies <paramref name="match"/>; the others are returned too, in order.</summary>
    public async Task<List<ReceivedFrame>> ReceiveUntilAsync(Func<ReceivedFrame, bool> match)
    {
        var frames = new List<ReceivedFrame>();
        while (true)
        {
            var frame = await ReceiveRequiredAsync();
            frames.Add(frame);
            if (match(frame))
            {
                return frames;
            }
        }
    }

    public async Task<ReceivedFrame> ReceiveRequiredAsync() =>
        await ReceiveAsync() ?? throw new InvalidOperationException("the client closed the connection");

    /// <summary>Waits until the client closes its side; true when it did so without sending another frame.</summary>
    public async Task<bool> WaitForClientCloseAsync() => await ReceiveAsync() is null;

    /// <summary>Closes the connection gracefully: the client sees the end of the stream.</summary>
    public void Close() => _socket.Shutdown(SocketShutdown.Both);

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _input.CompleteAsync();
        await _stream.DisposeAsync();
    }
}
