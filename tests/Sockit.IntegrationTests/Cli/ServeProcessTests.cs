using Sockit.IntegrationTests.Framed;
using Sockit.IntegrationTests.Infrastructure;
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

    private static async Task<string> HelloServerNameAsync(string[] arguments, IReadOnlyDictionary<string, string>? environment)
    {
        await using var server = await SockitProcess.ServeAsync(arguments, environment);
        await using var connection = await FrameConnection.OpenAsync(server.Endpoint("Framed", AddressScheme.Tcp), readHello: false);
        var (hello, _) = await connection.ReadAsync(SockitJsonContext.Default.HelloMessage);
        return hello.Server;
    }
}
