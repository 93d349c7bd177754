using System.Collections;
using System.Text;
using Sockit.Cli.Commands.Serve;

namespace Sockit.Cli.Tests.Commands.Serve;

public sealed class ServeRestartTests
{
    [Fact]
    public void Serve_restarts_with_the_runtimes_threshold_and_a_marker_keeping_every_other_variable()
    {
        var environment = new Hashtable { ["PATH"] = "/usr/bin", ["EMPTY"] = "" };

        var restarted = ServeRestart.RestartEnvironment(["serve", "--listen", "framed=tcp://127.0.0.1:0"], environment);

        Assert.NotNull(restarted);
        Assert.Equal("1E", restarted[ServeRestart.ThresholdVariable]);
        Assert.Equal("1", restarted[ServeRestart.MarkerVariable]);
        Assert.Equal("/usr/bin", restarted["PATH"]);
        Assert.Equal("", restarted["EMPTY"]);
        Assert.Equal(4, restarted.Count);
        Assert.True(ServeRestart.IsRestarted(new Hashtable(restarted)));
    }

    [Theory]
    [InlineData("put")]
    [InlineData("--version")]
    [InlineData("")]
    public void A_client_command_is_never_restarted(string verb)
    {
        string[] args = verb.Length == 0 ? [] : [verb, "serve"];

        Assert.Null(ServeRestart.RestartEnvironment(args, new Hashtable { ["PATH"] = "/usr/bin" }));
    }

    [Fact]
    public void An_operators_threshold_or_a_restart_already_done_means_no_restart()
    {
        Assert.Null(ServeRestart.RestartEnvironment(["serve"], new Hashtable { [ServeRestart.ThresholdVariable] = "64" }));
        Assert.Null(ServeRestart.RestartEnvironment(["serve"], new Hashtable { [ServeRestart.MarkerVariable] = "1" }));
        Assert.False(ServeRestart.IsRestarted(new Hashtable { [ServeRestart.ThresholdVariable] = "64" }));
    }

    [Fact]
    public void The_command_line_is_split_at_each_nul_keeping_empty_and_unicode_arguments()
    {
        var commandLine = Encoding.UTF8.GetBytes("dotnet\0sockit.dll\0serve\0\0--set\0名前=值\0");

        Assert.Equal(["dotnet", "sockit.dll", "serve", "", "--set", "名前=值"], ServeRestart.Split(commandLine));
        Assert.Empty(ServeRestart.Split([]));
        Assert.Equal(["no-final-nul"], ServeRestart.Split("no-final-nul"u8));
    }
}
