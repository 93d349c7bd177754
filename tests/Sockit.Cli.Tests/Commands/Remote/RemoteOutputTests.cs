using System.Text;
using Sockit.Cli.Commands.Remote;
using Sockit.Client.Exec;

namespace Sockit.Cli.Tests.Commands.Remote;

public sealed class RemoteOutputTests : IDisposable
{
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
    }

    [Fact]
    public async Task Without_an_encoding_bytes_pass_through_each_to_its_stream()
    {
        var output = new RemoteOutput(_stdout, _stderr, null, Encoding.UTF8);
        byte[] binary = [0x00, 0xff, 0xc4, 0xe3, 0x0d, 0x0a, 0x80];

        await output.WriteAsync(ExecOutputKind.Stdout, binary, CancellationToken.None);
        await output.WriteAsync(ExecOutputKind.Stderr, "oops\n"u8.ToArray(), CancellationToken.None);
        await output.CompleteAsync(CancellationToken.None);

        Assert.Equal(binary, _stdout.ToArray());
        Assert.Equal("oops\n"u8.ToArray(), _stderr.ToArray());
    }

    [Fact]
    public async Task Gbk_is_decoded_even_when_a_character_is_split_between_chunks()
    {
        var output = new RemoteOutput(_stdout, _stderr, EncodingOption.Find("gbk"), Encoding.UTF8);

        // 你好 in GBK is c4 e3 ba c3; the server may cut its chunks anywhere.
        await output.WriteAsync(ExecOutputKind.Stdout, new byte[] { 0xc4 }, CancellationToken.None);
        await output.WriteAsync(ExecOutputKind.Stderr, new byte[] { 0xba }, CancellationToken.None);
        await output.WriteAsync(ExecOutputKind.Stdout, new byte[] { 0xe3, 0xba }, CancellationToken.None);
        await output.WriteAsync(ExecOutputKind.Stderr, new byte[] { 0xc3, (byte)'\n' }, CancellationToken.None);
        await output.WriteAsync(ExecOutputKind.Stdout, new byte[] { 0xc3 }, CancellationToken.None);
        await output.CompleteAsync(CancellationToken.None);

        Assert.Equal("你好", Encoding.UTF8.GetString(_stdout.ToArray()));
        Assert.Equal("好\n", Encoding.UTF8.GetString(_stderr.ToArray()));
    }

    [Fact]
    public async Task A_character_cut_off_at_the_end_shows_as_a_replacement_character()
    {
        var output = new RemoteOutput(_stdout, _stderr, EncodingOption.Find("gbk"), Encoding.UTF8);

        await output.WriteAsync(ExecOutputKind.Stdout, new byte[] { (byte)'a', 0xc4 }, CancellationToken.None);
        Assert.Equal("a", Encoding.UTF8.GetString(_stdout.ToArray()));
        await output.CompleteAsync(CancellationToken.None);

        Assert.Equal("a\uFFFD", Encoding.UTF8.GetString(_stdout.ToArray()));
    }

    [Fact]
    public async Task It_knows_whether_the_last_output_ended_a_line()
    {
        var output = new RemoteOutput(_stdout, _stderr, null, Encoding.UTF8);
        Assert.True(output.AtLineStart);

        await output.WriteAsync(ExecOutputKind.Stdout, "no newline"u8.ToArray(), CancellationToken.None);
        Assert.False(output.AtLineStart);

        await output.WriteAsync(ExecOutputKind.Stderr, "line\n"u8.ToArray(), CancellationToken.None);
        Assert.True(output.AtLineStart);
    }
}
