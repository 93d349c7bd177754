using Sockit.Protocol.Exec;
using Sockit.Protocol.Errors;
using Sockit.Server.Exec;
using Sockit.Server.Exec.Internal;

namespace Sockit.Server.Tests.Exec;

/// <summary>How an <c>exec</c> request becomes a command to start, and what is refused before anything starts.</summary>
public sealed class ExecCommandTests
{
    private static readonly ExecOptions Options = new();

    [Fact]
    public void A_command_runs_through_the_shell_with_the_default_timeout()
    {
        var command = ExecCommand.FromRequest(new ExecRequest { Command = "ls | wc -l" }, Options, hasId: true);

        Assert.Equal("/bin/sh", command.Spawn.FileName);
        Assert.Equal(["-c", "ls | wc -l"], command.Spawn.Arguments);
        Assert.Equal(SpawnMode.Pipes, command.Spawn.Mode);
        Assert.Equal(TimeSpan.FromHours(1), command.Timeout);
        Assert.False(command.KeepsInputOpen);
    }

    [Fact]
    public void Argv_names_the_program_and_the_audit_text_quotes_odd_arguments()
    {
        var command = ExecCommand.FromRequest(new ExecRequest { Argv = ["grep", "-r", "two words", "a\u001bb"] }, Options, hasId: true);

        Assert.Equal("grep", command.Spawn.FileName);
        Assert.Equal(["-r", "two words", "a\u001bb"], command.Spawn.Arguments);
        Assert.Equal("grep -r 'two words' 'a\\u001bb'", command.Display);
    }

    [Fact]
    public void A_pty_command_gets_its_size_term_and_the_longest_timeout()
    {
        var command = ExecCommand.FromRequest(new ExecRequest { Command = "top", Pty = true, Rows = 50, Cols = 132 }, Options, hasId: true);

        Assert.Equal(SpawnMode.Pty, command.Spawn.Mode);
        Assert.Equal(new WindowSize(50, 132), command.Spawn.WindowSize);
        Assert.Equal("xterm-256color", command.Spawn.Environment!["TERM"]);
        Assert.Equal(Options.MaxTimeout, command.Timeout);
    }

    [Fact]
    public void Env_sets_and_removes_variables_on_top_of_the_servers()
    {
        Environment.SetEnvironmentVariable("SOCKIT_EXEC_TEST_REMOVED", "present");
        try
        {
            var command = ExecCommand.FromRequest(
                new ExecRequest { Command = "env", Env = new Dictionary<string, string?> { ["GREETING"] = "hi", ["SOCKIT_EXEC_TEST_REMOVED"] = null } },
                Options,
                hasId: true);

            Assert.Equal("hi", command.Spawn.Environment!["GREETING"]);
            Assert.False(command.Spawn.Environment.ContainsKey("SOCKIT_EXEC_TEST_REMOVED"));
            Assert.True(command.Spawn.Environment.ContainsKey("PATH"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOCKIT_EXEC_TEST_REMOVED", null);
        }
    }

    [Fact]
    public void Too_many_env_entries_are_refused()
    {
        var env = Enumerable.Range(0, ExecCommand.MaxEnvironmentChanges + 1).ToDictionary(i => $"V{i}", i => (string?)"x");

        var refused = Assert.Throws<SockitException>(() => ExecCommand.FromRequest(new ExecRequest { Command = "true", Env = env }, Options, hasId: true));

        Assert.Equal(SockitErrorCode.InvalidArgument, refused.Code);
    }

    [Theory]
    [InlineData(0.001)]
    [InlineData(86400)]
    public void Timeouts_from_a_millisecond_to_the_maximum_are_taken(double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ExecCommand.FromRequest(new ExecRequest { Command = "true", TimeoutS = seconds }, Options, hasId: true).Timeout);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(86400.5)]
    public void Absurd_timeouts_are_refused(double seconds)
    {
        var refused = Assert.Throws<SockitException>(() => ExecCommand.FromRequest(new ExecRequest { Command = "true", TimeoutS = seconds }, Options, hasId: true));

        Assert.Equal(SockitErrorCode.InvalidArgument, refused.Code);
    }

    [Fact]
    public void A_relative_cwd_is_resolved_against_the_servers()
    {
        var command = ExecCommand.FromRequest(new ExecRequest { Command = "pwd", Cwd = "." }, Options, hasId: true);

        Assert.Equal(Path.GetFullPath("."), command.Spawn.WorkingDirectory);
    }
}
