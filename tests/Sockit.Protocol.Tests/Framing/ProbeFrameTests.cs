using System.Buffers;
using Sockit.Protocol.Framing;

namespace Sockit.Protocol.Tests.Framing;

public class ProbeFrameTests
{
    [Fact]
    public void Is_one_whole_probe_frame_with_no_id_and_no_body()
    {
        var buffer = new ReadOnlySequence<byte>(ProbeFrame.Bytes.ToArray());

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));

        Assert.Equal(FrameKind.Probe, head.Kind);
        Assert.Null(head.Id);
        Assert.Equal(0, head.DataSize);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Fed_one_byte_at_a_time_it_parses_only_once_complete()
    {
        byte[] frame = ProbeFrame.Bytes.ToArray();
        for (int length = 0; length < frame.Length; length++)
        {
            var partial = new ReadOnlySequence<byte>(frame, 0, length);
            Assert.False(FrameParser.TryParseHead(ref partial, FrameLimits.Default, out _));
        }

        var whole = new ReadOnlySequence<byte>(frame);
        Assert.True(FrameParser.TryParseHead(ref whole, FrameLimits.Default, out var head));
        Assert.Equal(FrameKind.Probe, head.Kind);
    }
}
