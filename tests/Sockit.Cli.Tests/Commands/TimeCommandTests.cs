using Sockit.Cli.Tests.Fakes;

namespace Sockit.Cli.Tests.Commands;

public sealed class TimeCommandTests
{
    [Fact]
    public async Task Time_sends_the_format_and_prints_the_time()
    {
        await using var server = new FakeSockitServer();

        var result = await CliHarness.RunAsync(["time", "%H:%M", "--server", server.Address]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("time[%H:%M]\n", result.Output);
        Assert.Equal("""{"op":"time","id":1,"format":"%H:%M"}""", Assert.Single(server.Requests).HeaderJson);
    }

    [Fact]
    public async Task An_empty_format_asks_for_the_servers_default()
    {
        await using var server = new FakeSockitServer();

        var result = await CliHarness.RunAsync(["time", "", "-s", server.Address]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("time[default]\n", result.Output);
        Assert.False(Assert.Single(server.Requests).HasFormat);
    }

    [Fact]
    public async Task Interactive_time_sends_each_format_and_an_empty_line_asks_for_the_default()
    {
        await using var server = new FakeSockitServer();

        var result = await CliHarness.RunAsync(["time", "-s", server.Address], input: "%H\n\n%Y\nquit\n%M\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(">>: time[%H]\n>>: time[default]\n>>: time[%Y]\n>>: ", result.Output);
        Assert.Equal(["%H", null, "%Y"], server.Requests.Select(r => r.Format));
    }

    [Fact]
    public async Task A_rejected_format_exits_6()
    {
        await using var server = new FakeSockitServer(r => FakeReply.Error(r, "invalid_format", "'%Q' is not a directive"));

        var result = await CliHarness.RunAsync(["time", "%Q", "-s", server.Address]);

        var line = result.AssertOneLineFailure(ExitCode.ServerError);
        Assert.Equal("sockit: server error (invalid_format): '%Q' is not a directive", line);
    }

    [Fact]
    public async Task In_interactive_mode_a_server_error_is_reported_the_loop_goes_on_and_ends_with_0()
    {
        await using var server = new FakeSockitServer(r => r.Format == "%Q"
            ? FakeReply.Error(r, "invalid_format", "bad")
            : FakeSockitServer.Respond(r));

        var result = await CliHarness.RunAsync(["time", "-s", server.Address], input: "%Q\n%H\n");

        // The refusal was reported where it happened; the loop itself ended normally, at the end of input.
        Assert.Equal((int)ExitCode.Ok, result.ExitCode);
        Assert.Equal(">>: >>: time[%H]\n>>: \n", result.Output);
        Assert.Equal("sockit: server error (invalid_format): bad\n", result.Error);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task Interactive_time_reconnects_after_the_servers_closing_error_and_resends_the_format()
    {
        // The login deadline's way of closing: an error frame that names no request, then the end of the connection.
        var closed = 0;
        await using var server = new FakeSockitServer(r => r.Format == "%H" && Interlocked.Exchange(ref closed, 1) == 0
            ? new FakeReply("""{"ok":false,"error":"login_timeout","message":"no login within 30 s"}""", ThenClose: true)
            : FakeSockitServer.Respond(r));

        var result = await CliHarness.RunAsync(["time", "-s", server.Address], input: "%M\n%H\n%S\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(">>: time[%M]\n>>: time[%H]\n>>: time[%S]\n>>: \n", result.Output);
        Assert.Equal(
            $"sockit: server error (login_timeout): no login within 30 s; reconnecting to tcp://{server.Address}\n", result.Error);
        Assert.Equal(2, server.ConnectionCount);
    }

    [Fact]
    public async Task A_time_with_terminal_escapes_in_it_is_printed_escaped()
    {
        await using var server = new FakeSockitServer(r => FakeReply.Time(r, "\u001b]0;pwned\u0007\u001b[2K\r\u202E12:00"));

        var result = await CliHarness.RunAsync(["time", "-s", server.Address], input: "%H\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(@">>: \u001b]0;pwned\u0007\u001b[2K\u000d\u202e12:00" + "\n>>: \n", result.Output);
    }

    [Fact]
    public async Task A_udp_time_with_terminal_escapes_in_it_is_printed_escaped()
    {
        await using var server = new FakeUdpServer(_ => "\u001b]0;pwned\u0007\u202E12:00");

        var result = await CliHarness.RunAsync(["time", "%H", "--udp", "-s", server.Address]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(@"\u001b]0;pwned\u0007\u202e12:00" + "\n", result.Output);
    }

    [Fact]
    public async Task Udp_time_sends_the_format_as_a_datagram()
    {
        await using var server = new FakeUdpServer(format => format.Length == 0 ? "2026-01-01 00:00:00" : $"udp[{format}]");

        var result = await CliHarness.RunAsync(["time", "%H:%M", "--udp", "-s", server.Address]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("udp[%H:%M]\n", result.Output);
    }

    [Fact]
    public async Task Interactive_udp_time_sends_an_empty_datagram_for_an_empty_line()
    {
        await using var server = new FakeUdpServer(format => format.Length == 0 ? "default" : $"udp[{format}]");

        var result = await CliHarness.RunAsync(["time", "--udp", "-s", server.Address], input: "\n%S\nquit\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(">>: default\n>>: udp[%S]\n>>: ", result.Output);
        Assert.Equal(["", "%S"], server.Received);
    }

    [Fact]
    public async Task A_udp_error_reply_exits_6()
    {
        await using var server = new FakeUdpServer(_ => "error: bad directive %Q");

        var result = await CliHarness.RunAsync(["time", "%Q", "--udp", "-s", server.Address]);

        var line = result.AssertOneLineFailure(ExitCode.ServerError);
        Assert.Equal("sockit: server error (invalid_format): bad directive %Q", line);
    }

    [Fact]
    public async Task A_silent_udp_time_service_exits_4()
    {
        await using var server = new FakeUdpServer(_ => null);

        var result = await CliHarness.RunAsync(["time", "", "--udp", "-s", server.Address, "-t", "0.2"]);

        result.AssertOneLineFailure(ExitCode.Timeout);
    }

    [Fact]
    public async Task A_framed_server_that_does_not_answer_in_time_exits_4()
    {
        await using var server = new FakeSockitServer(_ => new FakeReply(""));

        // The same timeout covers the hello, which on a loaded machine took longer than 0.2 s to arrive (a different
        // line); a second leaves it room and still fails fast.
        var result = await CliHarness.RunAsync(["time", "-s", server.Address, "--timeout", "1", "%H"]);

        var line = result.AssertOneLineFailure(ExitCode.Timeout);
        Assert.Equal($"sockit: no reply from {server.Address} for 1 s", line);
    }
}
