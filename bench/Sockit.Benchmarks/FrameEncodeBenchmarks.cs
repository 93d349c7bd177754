using System.Buffers;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.Benchmarks;

/// <summary>
/// Encoding alone, into a reused buffer: what serializing the JSON header costs over writing a bare length
/// prefix. Both copy the same body.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from each benchmark class.
[MemoryDiagnoser]
public class FrameEncodeBenchmarks
{
    private ArrayBufferWriter<byte> _output = null!;
    private byte[] _body = [];
    private long _id;

    [Params(16, 1024, 64 * 1024)]
    public int BodySize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = BenchPipes.Body(BodySize);
        _output = new ArrayBufferWriter<byte>(FrameParser.PrefixLength + 256 + BodySize);
    }

    [Benchmark(Baseline = true)]
    public int RawLengthPrefix()
    {
        _output.ResetWrittenCount();
        BinaryPrimitives.WriteInt32LittleEndian(_output.GetSpan(FrameParser.PrefixLength), _body.Length);
        _output.Advance(FrameParser.PrefixLength);
        _output.Write(_body);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int SockitWriteFrame()
    {
        _output.ResetWrittenCount();
        var request = new EchoRequest { Id = ++_id, DataSize = _body.Length };
        FrameWriter.WriteFrame(_output, request, SockitJsonContext.Default.EchoRequest, _body);
        return _output.WrittenCount;
    }
}
