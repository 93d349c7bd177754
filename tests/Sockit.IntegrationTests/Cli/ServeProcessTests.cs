using System.Diagnostics;
using Sockit.IntegrationTests.Framed;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Sessions;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Messages;

namespace Sockit.IntegrationTests.Cli;

/// <summary><c>sockit serve</c> as an operator runs it: a real process, real signals, real configuration sources.</summary>
public sealed class ServeProcessTests
{
    [Fact]
    public async Task Serve_prints_its_endpoints_and_on_sigterm_tells_clients_then_exits_cleanly()
    {
        await using var server = await SockitProcess.ServeAsync(["--listen", "framed=tcp://127.0.0.1:0", "--listen", "upper-echo=udp://127.0.0.1:0"]);
        var framed = server.Endpoint("Framed", AddressScheme.Tcp);
        Assert.NotEqual(0, framed.Port);
        Assert.NotEqual(0, server.Endpoint("UpperEcho", AddressScheme.Udp).Port);
        await using var connection = await FrameConnection.OpenAsync(framed);
        await BadInputTests.AssertServesEchoAsync(connection);

        var exit = server.TerminateAsync();
        var (notice, _) = await connection.ReadReplyAsync();

        Assert.Equal("shutting_down", notice.Error);
        Assert.Equal(0, await exit);
        Assert.DoesNotContain("Exception", server.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_runs_with_the_runtimes_recompilation_threshold_which_its_commands_do_not_inherit()
    {
        await using var server = await SockitProcess.ServeAsync(
            ["--listen", "framed=tcp://127.0.0.1:0", "--set", "Sockit:Auth:AnonymousOps:0=exec"]);

        // The process replaced itself (same id) with the runtime's default threshold in its environment.
        var environment = (await File.ReadAllTextAsync($"/proc/{server.Id}/environ")).Split('\0');
        Assert.Contains("DOTNET_TC_CallCountThreshold=1E", environment);

        // The restarted runtime has its diagnostics socket (dotnet-trace, dotnet-counters): the first one's was in the way.
        var listening = await File.ReadAllTextAsync("/proc/net/unix");
        Assert.Contains($"/dotnet-diagnostic-{server.Id}-", listening, StringComparison.Ordinal);

        await using var connection = await FrameConnection.OpenAsync(server.Endpoint("Framed", AddressScheme.Tcp));
        await connection.SendFrameAsync("""{"op":"exec","id":1,"command":"env"}""");
        var output = new System.Text.StringBuilder();
        while (true)
        {
            var (frame, body) = await connection.ReadFrameAsync();
            if (frame.Kind != "part")
            {
                Assert.True(frame.Ok == true, frame.Message);
                break;
            }

            output.Append(System.Text.Encoding.UTF8.GetString(body));
        }

        Assert.Contains("PATH=", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("DOTNET_TC_CallCountThreshold", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SOCKIT_SERVE_RESTARTED", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operators_own_recompilation_threshold_is_kept()
    {
        await using var server = await SockitProcess.ServeAsync(
            ["--listen", "framed=tcp://127.0.0.1:0"], new Dictionary<string, string> { ["DOTNET_TC_CallCountThreshold"] = "64" });

        var environment = (await File.ReadAllTextAsync($"/proc/{server.Id}/environ")).Split('\0');

        Assert.Contains("DOTNET_TC_CallCountThreshold=64", environment);
        Assert.DoesNotContain(environment, variable => variable.StartsWith("SOCKIT_SERVE_RESTARTED=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sigterm_lets_a_request_in_progress_run_past_two_seconds_and_finish_within_the_configured_grace_period()
    {
        await using var server = await ServeWithGraceAsync(6);
        await using var connection = await FrameConnection.OpenAsync(server.Endpoint("Framed", AddressScheme.Tcp));
        var body = new byte[10_000];
        new Random(4).NextBytes(body);
        var frame = RawFrame.Build($"{{\"op\":\"echo\",\"id\":3,\"data_size\":{body.Length}}}", body);
        await connection.SendAsync(frame.AsMemory(0, 100));

        // The echo's reply starts as soon as its body does: once it shows, the request is in progress.
        await connection.WaitForDataAsync();
        server.Signal(SockitProcess.SigTerm);
        await server.WaitForErrorAsync("Stopping (SIGTERM) with 1 connections open; requests in progress get up to 6 s");

        // Still serving the request well past the two seconds the process used to allow.
        await Assert.ThrowsAsync<TimeoutException>(() => server.WaitForExitAsync(TimeSpan.FromSeconds(3)));
        await connection.SendAsync(frame.AsMemory(100));
        var (reply, echoed) = await connection.ReadReplyAsync();
        var (notice, _) = await connection.ReadReplyAsync();
        var exit = await server.WaitForExitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((true, 3L), (reply.Ok, reply.Id!.Value));
        Assert.Equal(body, echoed);
        Assert.Equal("shutting_down", notice.Error);
        Assert.Equal(0, exit);
        Assert.Contains("Stopped after", server.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("grace period", server.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_still_open_when_the_grace_period_ends_is_closed_and_the_log_says_so()
    {
        await using var server = await ServeWithGraceAsync(3);
        await using var connection = await FrameConnection.OpenAsync(server.Endpoint("Framed", AddressScheme.Tcp));
        await connection.SendAsync(RawFrame.Build("{\"op\":\"echo\",\"id\":1,\"data_size\":1000}", new byte[10]));
        await connection.WaitForDataAsync();
        var stopping = Stopwatch.StartNew();

        server.Signal(SockitProcess.SigTerm);
        var exit = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, exit);
        Assert.InRange(stopping.Elapsed, TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(15));
        Assert.Contains("The shutdown grace period of 3 s ran out", server.Error, StringComparison.Ordinal);

        // The reply had begun; it ends where the connection was cut (not by waiting for the read's own timeout).
        var cut = await Assert.ThrowsAnyAsync<Exception>(() => connection.ReadReplyAsync());
        Assert.IsNotAssignableFrom<OperationCanceledException>(cut);
    }

    [Fact]
    public async Task A_second_signal_closes_the_requests_still_open_without_waiting_out_the_grace_period()
    {
        await using var server = await ServeWithGraceAsync(60);
        await using var connection = await FrameConnection.OpenAsync(server.Endpoint("Framed", AddressScheme.Tcp));
        await connection.SendAsync(RawFrame.Build("{\"op\":\"echo\",\"id\":1,\"data_size\":1000}", new byte[10]));
        await connection.WaitForDataAsync();
        server.Signal(SockitProcess.SigTerm);
        await server.WaitForErrorAsync("Stopping (SIGTERM) with 1 connections open");

        server.Signal(SockitProcess.SigTerm);

        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("Another SIGTERM: closing the connections still open now", server.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_c_stops_the_server_and_exits_130()
    {
        await using var server = await SockitProcess.ServeAsync(["--listen", "framed=tcp://127.0.0.1:0"]);

        server.Signal(SockitProcess.SigInt);

        Assert.Equal(130, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("Stopping (SIGINT) with", server.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", server.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_comes_from_the_file_then_the_environment_then_set_flags()
    {
        var config = Path.Combine(Path.GetTempPath(), $"sockit-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, """
            {
              "Sockit": {
                "ServerName": "from-file",
                "MaxEchoBodyLength": 10,
                "Endpoints": { "main": { "Url": "tcp://127.0.0.1:0", "Service": "Framed" } }
              }
            }
            """);
        try
        {
            Assert.Equal("from-file", await HelloServerNameAsync(["--config", config], null));
            Assert.Equal("from-env", await HelloServerNameAsync(["--config", config], new Dictionary<string, string> { ["SOCKIT_Sockit__ServerName"] = "from-env" }));
            Assert.Equal("from-flag", await HelloServerNameAsync(
                ["--config", config, "--set", "Sockit:ServerName=from-flag"],
                new Dictionary<string, string> { ["SOCKIT_Sockit__ServerName"] = "from-env" }));
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task A_missing_config_file_is_one_readable_line_and_a_failure_exit_code()
    {
        var (exit, output, error) = await SockitProcess.RunAsync("serve", "--config", "/nonexistent/sockit.json");

        Assert.NotEqual(0, exit);
        Assert.Equal("", output.Trim());
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("config file not found", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_already_in_use_is_one_readable_line_and_a_failure_exit_code()
    {
        await using var first = await SockitProcess.ServeAsync(["--listen", "framed=tcp://127.0.0.1:0"]);
        var taken = first.Endpoint("Framed", AddressScheme.Tcp);

        var (exit, _, error) = await SockitProcess.RunAsync("serve", "--listen", $"framed={taken}");

        Assert.NotEqual(0, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("in use", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private static Task<SockitProcess> ServeWithGraceAsync(int seconds) =>
        SockitProcess.ServeAsync(["--listen", "framed=tcp://127.0.0.1:0", "--set", $"Sockit:ShutdownTimeout={TimeSpan.FromSeconds(seconds):c}"]);

    private static async Task<string> HelloServerNameAsync(string[] arguments, IReadOnlyDictionary<string, string>? environment)
    {
        await using var server = await SockitProcess.ServeAsync(arguments, environment);
        await using var connection = await FrameConnection.OpenAsync(server.Endpoint("Framed", AddressScheme.Tcp), readHello: false);
        var (hello, _) = await connection.ReadAsync(SockitJsonContext.Default.HelloMessage);
        return hello.Server;
    }
}
