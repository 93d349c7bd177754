using System.Text;
using Sockit.Server.Exec.Legacy;

namespace Sockit.Server.Tests.Exec.Legacy;

public sealed class LegacyOutputTests
{
    [Fact]
    public async Task The_body_is_all_of_stdout_then_all_of_stderr_whatever_order_they_came_in()
    {
        using var output = new LegacyOutput(1024);

        await output.AddAsync(stderr: true, "err1 "u8.ToArray());
        await output.AddAsync(stderr: false, "out1 "u8.ToArray());
        await output.AddAsync(stderr: true, "err2"u8.ToArray());
        await output.AddAsync(stderr: false, "out2 "u8.ToArray());

        Assert.Equal("out1 out2 err1 err2", await TextOfAsync(output));
        Assert.Equal(19, output.Length);
        Assert.False(output.IsCut);
    }

    [Fact]
    public async Task Output_past_the_limit_is_cut_there_over_both_streams()
    {
        using var output = new LegacyOutput(10);

        Assert.True(await output.AddAsync(stderr: false, "123456"u8.ToArray()));
        Assert.False(await output.AddAsync(stderr: true, "abcdef"u8.ToArray()));
        Assert.False(await output.AddAsync(stderr: false, "more"u8.ToArray()));

        Assert.True(output.IsCut);
        Assert.Equal("123456abcd", await TextOfAsync(output));
    }

    [Fact]
    public async Task A_note_starts_on_a_line_of_its_own_and_counts_in_the_size()
    {
        using var unterminated = new LegacyOutput(1024);
        using var terminated = new LegacyOutput(1024);
        using var empty = new LegacyOutput(1024);
        await unterminated.AddAsync(stderr: false, "partial"u8.ToArray());
        await terminated.AddAsync(stderr: true, "line\n"u8.ToArray());

        unterminated.Note("timed out");
        terminated.Note("timed out");
        empty.Note("server_busy: later");

        Assert.Equal("partial\nsockit: timed out\n", await TextOfAsync(unterminated));
        Assert.Equal("line\nsockit: timed out\n", await TextOfAsync(terminated));
        Assert.Equal("sockit: server_busy: later\n", await TextOfAsync(empty));
        Assert.Equal(Encoding.UTF8.GetByteCount("partial\nsockit: timed out\n"), unterminated.Length);
    }

    private static async Task<string> TextOfAsync(LegacyOutput output) =>
        Encoding.UTF8.GetString(await SpillBufferTests.ReadAllAsync(write => output.CopyToAsync(write)));
}
