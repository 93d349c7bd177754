using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.Benchmarks;

/// <summary>
/// One frame written into a pipe and read back, as a connection does per request: the raw baseline is a bare
/// 4-byte length prefix with a minimal parser; Sockit adds the JSON header on both sides.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from each benchmark class.
[MemoryDiagnoser]
public class PipeRoundTripBenchmarks : IDisposable
{
    private Pipe _rawPipe = null!;
    private Pipe _sockitPipe = null!;
    private FrameReader _reader = null!;
    private byte[] _body = [];
    private long _id;

    [Params(16, 1024, 64 * 1024)]
    public int BodySize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = BenchPipes.Body(BodySize);
        _rawPipe = BenchPipes.Create();
        _sockitPipe = BenchPipes.Create();
        _reader = new FrameReader(_sockitPipe.Reader);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _reader?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public async ValueTask<long> RawLengthPrefix()
    {
        var writer = _rawPipe.Writer;
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(FrameParser.PrefixLength), _body.Length);
        writer.Advance(FrameParser.PrefixLength);
        writer.Write(_body);
        await writer.FlushAsync().ConfigureAwait(false);

        var reader = _rawPipe.Reader;
        while (true)
        {
            var result = await reader.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            if (RawFrames.TryRead(ref buffer, out var payload))
            {
                long length = payload.Length;
                reader.AdvanceTo(buffer.Start);
                return length;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    [Benchmark]
    public async ValueTask<long> SockitFrame()
    {
        // A fresh request with a fresh id per frame, as a client sends them.
        var request = new EchoRequest { Id = ++_id, DataSize = _body.Length };
        FrameWriter.WriteFrame(_sockitPipe.Writer, request, SockitJsonContext.Default.EchoRequest, _body);
        await _sockitPipe.Writer.FlushAsync().ConfigureAwait(false);

        var head = await _reader.ReadHeadAsync().ConfigureAwait(false)
            ?? throw new InvalidOperationException("the pipe ended");
        if (!_reader.TryReadBufferedBody(out var body))
        {
            throw new InvalidOperationException("the body was flushed with the head but is not buffered");
        }

        return head.DataSize + body.Length;
    }
}
