using System.Text;
using Sockit.Server.Hosting.Connections;

namespace Sockit.Server.Tests.Hosting.Connections;

public sealed class LegacyReplyHeaderTests
{
    [Fact]
    public void It_is_struct_pack_i_of_the_json_length_then_the_json_as_python_dumps_it()
    {
        var header = LegacyReplyHeader.For(5);

        // struct.pack("i", 16) on a little-endian machine, then json.dumps({"data_size": 5}).encode("utf-8").
        Assert.Equal(new byte[] { 16, 0, 0, 0 }, header[..4]);
        Assert.Equal("{\"data_size\": 5}", Encoding.UTF8.GetString(header[4..]));
        Assert.Equal(4 + 16, header.Length);
    }

    [Fact]
    public void A_size_past_four_gigabytes_is_written_in_full()
    {
        var header = LegacyReplyHeader.For(5_000_000_000);

        Assert.Equal("{\"data_size\": 5000000000}", Encoding.UTF8.GetString(header[4..]));
        Assert.Equal(header.Length - 4, BitConverter.ToInt32(header, 0));
    }
}
