using System.Buffers;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.Benchmarks;

/// <summary>
/// Parsing alone, on a frame already in memory: what reading the JSON header costs over reading a bare length
/// prefix. The body size only changes the digits of <c>data_size</c>; the body itself is sliced, not read.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from each benchmark class.
[MemoryDiagnoser]
public class HeadParseBenchmarks
{
    private ReadOnlySequence<byte> _raw;
    private ReadOnlySequence<byte> _sockit;

    [Params(16, 1024, 64 * 1024)]
    public int BodySize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var body = BenchPipes.Body(BodySize);
        var raw = new byte[FrameParser.PrefixLength + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(raw, body.Length);
        body.CopyTo(raw, FrameParser.PrefixLength);
        _raw = new ReadOnlySequence<byte>(raw);

        // A reply head is what a client parses per round trip.
        _sockit = new ReadOnlySequence<byte>(FrameWriter.Encode(
            new EchoReply { Id = 123_456, DataSize = body.Length }, SockitJsonContext.Default.EchoReply, body));
    }

    [Benchmark(Baseline = true)]
    public long RawLengthPrefix()
    {
        var buffer = _raw;
        return RawFrames.TryRead(ref buffer, out var payload) ? payload.Length : -1;
    }

    [Benchmark]
    public long SockitTryParseHead()
    {
        var buffer = _sockit;
        return FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head) ? head.DataSize : -1;
    }
}
