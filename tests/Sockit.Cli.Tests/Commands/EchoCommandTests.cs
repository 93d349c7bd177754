using Sockit.Cli.Tests.Fakes;

namespace Sockit.Cli.Tests.Commands;

public sealed class EchoCommandTests
{
    [Fact]
    public async Task Echo_sends_the_words_as_one_message_and_prints_the_reply()
    {
        await using var server = new FakeSockitServer();

        var result = await CliHarness.RunAsync(["echo", "hello", "world", "--server", server.Address]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello world\n", result.Output);
        Assert.Equal("", result.Error);
        var request = Assert.Single(server.Requests);
        Assert.Equal("""{"op":"echo","id":1,"data_size":11,"upper":false}""", request.HeaderJson);
        Assert.Equal("hello world", request.BodyText);
    }

    [Fact]
    public async Task An_echo_reply_is_data_and_is_printed_as_it_came()
    {
        await using var server = new FakeSockitServer();

        var result = await CliHarness.RunAsync(["echo", "\u001b[1mbold\u001b[0m", "-s", server.Address]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("\u001b[1mbold\u001b[0m\n", result.Output);
    }

    [Fact]
    public async Task Upper_asks_the_server_to_upper_case()
    {
        await using var server = new FakeSockitServer();

        var result = await CliHarness.RunAsync(["echo", "--upper", "hi there", "-s", server.Address]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("HI THERE\n", result.Output);
        Assert.True(Assert.Single(server.Requests).Header.GetProperty("upper").GetBoolean());
    }

    [Fact]
    public async Task The_server_comes_from_SOCKIT_SERVER_when_not_given()
    {
        await using var server = new FakeSockitServer();

        var result = await CliHarness.RunAsync(
            ["echo", "hi"], environment: new Dictionary<string, string> { ["SOCKIT_SERVER"] = server.Address });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hi\n", result.Output);
    }

    [Fact]
    public async Task Text_after_a_double_dash_may_start_with_a_dash()
    {
        await using var server = new FakeSockitServer();

        var result = await CliHarness.RunAsync(["echo", "-s", server.Address, "--", "--not-an-option"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("--not-an-option\n", result.Output);
    }

    [Fact]
    public async Task Without_a_message_each_line_is_a_request_until_quit()
    {
        await using var server = new FakeSockitServer();

        var result = await CliHarness.RunAsync(
            ["echo", "--upper", "-s", server.Address], input: "hello\n\n   \n  world  \nquit\nnever sent\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(">>: HELLO\n>>: >>: >>: WORLD\n>>: ", result.Output);
        Assert.Equal(["hello", "world"], server.Requests.Select(r => r.BodyText));
        Assert.Equal([1L, 2L], server.Requests.Select(r => r.Id));
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task Interactive_mode_ends_at_the_end_of_input()
    {
        await using var server = new FakeSockitServer();

        var result = await CliHarness.RunAsync(["echo", "-s", server.Address], input: "one\ntwo");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(">>: one\n>>: two\n>>: \n", result.Output);
    }

    [Fact]
    public async Task Interactive_echo_reconnects_when_the_server_closed_the_connection_and_sends_the_line_again()
    {
        // The first connection is closed by the server right after its first reply, as a restart would.
        await using var server = new FakeSockitServer(r => r.BodyText == "one"
            ? FakeSockitServer.Respond(r) with { ThenClose = true }
            : FakeSockitServer.Respond(r));

        var result = await CliHarness.RunAsync(["echo", "-s", server.Address], input: "one\ntwo\nthree\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(">>: one\n>>: two\n>>: three\n>>: \n", result.Output);
        var notice = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("sockit: ", notice, StringComparison.Ordinal);
        Assert.EndsWith($"; reconnecting to tcp://{server.Address}", notice, StringComparison.Ordinal);
        Assert.Equal(2, server.ConnectionCount);
        Assert.Equal(["one", "two", "three"], server.Requests.Select(r => r.BodyText));
    }

    [Fact]
    public async Task When_reconnecting_fails_the_loop_ends_with_the_exit_code_of_that_failure()
    {
        FakeSockitServer? server = null;
        server = new FakeSockitServer(r =>
        {
            server!.StopAccepting();
            return FakeSockitServer.Respond(r) with { ThenClose = true };
        });
        await using var _ = server;
        var address = server.Address;

        var result = await CliHarness.RunAsync(["echo", "-s", address], input: "one\ntwo\n");

        Assert.Equal((int)ExitCode.ConnectionRefused, result.ExitCode);
        Assert.Equal(">>: one\n>>: ", result.Output);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith($"; reconnecting to tcp://{address}", lines[0], StringComparison.Ordinal);
        Assert.Equal($"sockit: connection refused by {address}: is the server running?", lines[1]);
    }

    [Fact]
    public async Task A_refused_connection_exits_3_with_one_line()
    {
        int port;
        await using (var server = new FakeSockitServer())
        {
            port = server.Port;
        }

        var result = await CliHarness.RunAsync(["echo", "hi", "--server", $"127.0.0.1:{port}"]);

        var line = result.AssertOneLineFailure(ExitCode.ConnectionRefused);
        Assert.Equal($"sockit: connection refused by 127.0.0.1:{port}: is the server running?", line);
        Assert.Equal("", result.Output);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:notaport")]
    [InlineData("gopher://127.0.0.1:70")]
    [InlineData("[::1")]
    public async Task A_bad_address_exits_5(string address)
    {
        var result = await CliHarness.RunAsync(["echo", "hi", "--server", address]);

        result.AssertOneLineFailure(ExitCode.InvalidAddress);
    }

    [Fact]
    public async Task A_bad_SOCKIT_SERVER_exits_5_and_says_where_the_address_came_from()
    {
        var result = await CliHarness.RunAsync(
            ["echo", "hi"], environment: new Dictionary<string, string> { ["SOCKIT_SERVER"] = "host:port" });

        var line = result.AssertOneLineFailure(ExitCode.InvalidAddress);
        Assert.StartsWith("sockit: SOCKIT_SERVER: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hostile_servers_terminal_escapes_in_an_error_are_shown_escaped()
    {
        await using var server = new FakeSockitServer(r => FakeReply.Error(r, "internal_error", "\u001b]0;owned\u0007\u001b[2Jgone"));

        var result = await CliHarness.RunAsync(["echo", "hi", "-s", server.Address]);

        var line = result.AssertOneLineFailure(ExitCode.ServerError);
        Assert.Equal("sockit: server error (internal_error): \\u001b]0;owned\\u0007\\u001b[2Jgone", line);
        Assert.DoesNotContain('\u001b', result.Error);
    }

    [Fact]
    public async Task A_server_error_exits_6_with_its_code_and_message()
    {
        await using var server = new FakeSockitServer(r => FakeReply.Error(r, "internal_error", "boom\nsecond line"));

        var result = await CliHarness.RunAsync(["echo", "hi", "-s", server.Address]);

        var line = result.AssertOneLineFailure(ExitCode.ServerError);
        Assert.Equal("sockit: server error (internal_error): boom second line", line);
    }

    [Fact]
    public async Task A_server_that_says_busy_instead_of_hello_exits_6()
    {
        await using var server = new FakeSockitServer();
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
        var running = CliHarness.RunAsync(["echo", "hi", "-s", $"127.0.0.1:{port}"]);
        using (var socket = await busy.AcceptSocketAsync())
        {
            var header = """{"ok":false,"error":"server_busy","message":"too many connections"}"""u8.ToArray();
            await socket.SendAsync(BitConverter.GetBytes(header.Length));
            await socket.SendAsync(header);
            socket.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        }

        var line = (await running).AssertOneLineFailure(ExitCode.ServerError);
        Assert.Equal("sockit: server error (server_busy): too many connections", line);
    }

    [Fact]
    public async Task A_server_that_breaks_the_protocol_exits_7()
    {
        await using var server = new FakeSockitServer(r => new FakeReply($$"""{"op":"echo","id":{{r.Id + 1}},"ok":true}"""));

        var result = await CliHarness.RunAsync(["echo", "hi", "-s", server.Address]);

        var line = result.AssertOneLineFailure(ExitCode.ProtocolError);
        Assert.StartsWith("sockit: protocol error (protocol_error): ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_hangs_up_instead_of_replying_exits_9()
    {
        await using var server = new FakeSockitServer(_ => FakeReply.HangUp);

        var result = await CliHarness.RunAsync(["echo", "hi", "-s", server.Address]);

        var line = result.AssertOneLineFailure(ExitCode.NetworkError);
        Assert.Equal($"sockit: {server.Address} closed the connection before replying", line);
    }

    [Fact]
    public async Task Udp_echo_sends_a_datagram_to_the_udp_service()
    {
        await using var server = FakeUdpServer.UpperEcho();

        var result = await CliHarness.RunAsync(["echo", "--udp", "--server", server.Address, "hello", "udp"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("HELLO UDP\n", result.Output);
        Assert.Equal(["hello udp"], server.Received);
    }

    [Fact]
    public async Task A_udp_address_alone_selects_udp()
    {
        await using var server = FakeUdpServer.UpperEcho();

        var result = await CliHarness.RunAsync(["echo", "-s", server.Address, "hi"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("HI\n", result.Output);
    }

    [Fact]
    public async Task Udp_echo_is_interactive_over_one_socket()
    {
        await using var server = FakeUdpServer.UpperEcho();

        var result = await CliHarness.RunAsync(["echo", "--udp", "-s", server.Address], input: "a\n\nb\nquit\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(">>: A\n>>: >>: B\n>>: ", result.Output);
        Assert.Equal(["a", "b"], server.Received);
    }

    [Fact]
    public async Task A_silent_udp_service_exits_4_after_the_timeout()
    {
        await using var server = new FakeUdpServer(_ => null);

        var result = await CliHarness.RunAsync(["echo", "--udp", "-s", server.Address, "--timeout", "0.2", "hi"]);

        var line = result.AssertOneLineFailure(ExitCode.Timeout);
        Assert.Equal($"sockit: no reply from {server.Address} within 0.2 s: is the server running?", line);
    }

    [Fact]
    public async Task Udp_with_a_tcp_address_exits_5()
    {
        var result = await CliHarness.RunAsync(["echo", "--udp", "-s", "tcp://127.0.0.1:9000", "hi"]);

        result.AssertOneLineFailure(ExitCode.InvalidAddress);
    }

    [Fact]
    public async Task A_message_too_large_for_a_datagram_is_a_usage_error()
    {
        await using var server = FakeUdpServer.UpperEcho();

        var result = await CliHarness.RunAsync(["echo", "--udp", "-s", server.Address, new string('x', 70_000)]);

        result.AssertOneLineFailure(ExitCode.Usage);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Ctrl_C_while_waiting_for_input_exits_130_quietly()
    {
        await using var server = new FakeSockitServer();
        using var input = new BlockingReader();
        using var cancel = new CancellationTokenSource();

        var running = CliHarness.RunAsync(["echo", "-s", server.Address], reader: input, cancellationToken: cancel.Token);
        await input.Reading.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        var result = await running;
        Assert.Equal("sockit: cancelled", result.AssertOneLineFailure(ExitCode.Cancelled));
    }
}
