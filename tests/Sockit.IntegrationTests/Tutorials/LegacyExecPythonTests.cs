using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Tutorials;

/// <summary>
/// The tutorials' own command client (tutorial 000, "CMD程序自定义报头", in <c>Scripts/cmd_client.py</c> with its lost
/// indentation restored and nothing else changed; only its port is pointed at the test's server) against the legacy
/// command listener, alone and with the tutorials' <c>conn_auth</c> (<c>Scripts/conn_auth.py</c>). It loops on
/// <c>input(">>>:")</c>, so the commands are typed on its standard input; end of file then stops it with an EOFError
/// traceback, which is how that client ends.
/// </summary>
public sealed class LegacyExecPythonTests
{
    private const string TutorialKey = "linhaifeng bang bang bang";

    [Fact]
    [Trait("Category", "Interop")]
    public async Task The_tutorials_client_prints_each_header_and_the_commands_stdout_then_stderr()
    {
        await using var server = await LegacyExecTests.StartAsync();

        var (exit, output, error) = await PythonScript.RunAsync(
            TutorialScript.Load("cmd_client.py", server.LegacyExec.Port), "echo hello\necho err >&2; echo out\n");

        Assert.Equal(
            ">>>:{'data_size': 6}\nhello\n\n>>>:{'data_size': 8}\nout\nerr\n\n>>>:",
            output.ReplaceLineEndings("\n"));
        Assert.Equal(1, exit);
        Assert.EndsWith("EOFError: EOF when reading a line", error.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(2, server.Log.Entries.Count(e => e.Event.Id == 1600 && e.Message.Contains("via=legacy user=(legacy)", StringComparison.Ordinal)));
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("md5")]
    [InlineData("sha256")]
    public async Task The_tutorials_client_with_conn_auth_passes_the_hmac_challenge(string digest)
    {
        await using var server = await LegacyExecTests.StartAsync(
            ("Sockit:Exec:Legacy:HmacKey", TutorialKey), ("Sockit:Exec:Legacy:HmacDigest", digest));
        var script = TutorialScript.WithConnAuth(TutorialScript.Load("cmd_client.py", server.LegacyExec.Port), digest);

        var (_, output, error) = await PythonScript.RunAsync(script, "echo authenticated\n");

        Assert.Equal(">>>:{'data_size': 14}\nauthenticated\n\n>>>:", output.ReplaceLineEndings("\n"));
        Assert.Contains("EOFError", error, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Log.Entries, e => e.Event.Id == 1603);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task The_tutorials_client_with_another_key_is_closed_before_it_runs_anything()
    {
        await using var server = await LegacyExecTests.StartAsync(("Sockit:Exec:Legacy:HmacKey", "not the tutorial's key"));

        var (exit, output, error) = await PythonScript.RunAsync(
            TutorialScript.WithConnAuth(TutorialScript.Load("cmd_client.py", server.LegacyExec.Port)), "echo never\n");

        // Its recv(4) gets b"" from the closed connection and struct.unpack fails on it, or, if its command reached the
        // server before the close, the send or recv fails with a reset.
        Assert.Equal(">>>:", output);
        Assert.Equal(1, exit);
        Assert.Matches("struct.error|ConnectionResetError|BrokenPipeError", error);
        Assert.Contains(server.Log.Entries, e => e.Event.Id == 1603 && e.Message.Contains("wrong answer", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Log.Entries, e => e.Event.Id == 1600);
    }
}
