using System.Globalization;
using System.Text;
using Sockit.Client;
using Sockit.Client.Exec;
using Sockit.Protocol.Errors;

namespace Sockit.IntegrationTests.Exec;

/// <summary>Remote commands through the client library: output, input, exit status, errors and permissions.</summary>
public sealed class ExecTests
{
    private static async Task<(ExecResult Result, string Stdout, string Stderr)> RunAsync(
        SockitClient client, string command, SockitExecOptions? options = null)
    {
        await using var execution = await client.ExecAsync(command, options);
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var result = await execution.CopyOutputToAsync(stdout, stderr);
        return (result, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Fact]
    public async Task Stdout_and_stderr_come_apart_with_the_exit_code_and_counts()
    {
        await using var server = await ExecServer.StartAsync();
        await using var client = await server.ConnectAsync();

        var (result, stdout, stderr) = await RunAsync(client, "echo out; echo err >&2; exit 3");

        Assert.Equal("out\n", stdout);
        Assert.Equal("err\n", stderr);
        Assert.Equal(3, result.ExitCode);
        Assert.Null(result.Signal);
        Assert.False(result.TimedOut);
        Assert.Equal(4, result.StdoutBytes);
        Assert.Equal(4, result.StderrBytes);
    }

    [Fact]
    public async Task Output_streams_while_the_command_runs()
    {
        await using var server = await ExecServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await using var execution = await client.ExecAsync("echo first; read line; echo \"second $line\"", new SockitExecOptions { KeepInputOpen = true });

        await using var output = execution.ReadOutputAsync().GetAsyncEnumerator();
        // The command is blocked in `read` now: the first line can only have come while it runs.
        Assert.True(await output.MoveNextAsync());
        Assert.Equal("first\n", Encoding.UTF8.GetString(output.Current.Data.Span));

        await execution.WriteInputAsync("go\n"u8.ToArray());
        await execution.CompleteInputAsync();
        Assert.True(await output.MoveNextAsync());
        Assert.Equal("second go\n", Encoding.UTF8.GetString(output.Current.Data.Span));
        Assert.False(await output.MoveNextAsync());
        Assert.Equal(0, (await execution.GetResultAsync()).ExitCode);
    }

    [Fact]
    public async Task Stdin_from_the_request_body_reaches_the_command()
    {
        await using var server = await ExecServer.StartAsync();
        await using var client = await server.ConnectAsync();

        var (result, stdout, _) = await RunAsync(client, "sort -r", new SockitExecOptions { StandardInput = "a\nc\nb\n"u8.ToArray() });

        Assert.Equal("c\nb\na\n", stdout);
        Assert.Equal(6, result.StdinBytes);
    }

    [Fact]
    public async Task Megabytes_of_streamed_input_come_back_byte_for_byte()
    {
        await using var server = await ExecServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(data);
        await using var execution = await client.ExecAsync("cat", new SockitExecOptions { KeepInputOpen = true, OutputWindow = 65536 });

        var feeding = execution.CopyInputFromAsync(new MemoryStream(data));
        using var stdout = new MemoryStream();
        var result = await execution.CopyOutputToAsync(stdout, Stream.Null);
        await feeding;

        Assert.Equal(data.Length, result.StdinBytes);
        Assert.True(data.AsSpan().SequenceEqual(stdout.ToArray()), "cat's output differs from its input");
    }

    [Fact]
    public async Task Standard_input_as_a_stream_ends_when_disposed()
    {
        await using var server = await ExecServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await using var execution = await client.ExecAsync("wc -l", new SockitExecOptions { KeepInputOpen = true });

        await using (var stdin = execution.OpenStandardInput())
        {
            await stdin.WriteAsync("one\ntwo\n"u8.ToArray());
            await stdin.WriteAsync("three\n"u8.ToArray());
        }

        using var stdout = new MemoryStream();
        var result = await execution.CopyOutputToAsync(stdout, Stream.Null);
        Assert.Equal("3", Encoding.UTF8.GetString(stdout.ToArray()).Trim());
        Assert.Equal(14, result.StdinBytes);
    }

    [Fact]
    public async Task Large_output_arrives_whole_and_in_order()
    {
        await using var server = await ExecServer.StartAsync();
        await using var client = await server.ConnectAsync();

        var (result, stdout, _) = await RunAsync(client, "seq 1 300000");

        var expected = string.Concat(Enumerable.Range(1, 300000).Select(i => i.ToString(CultureInfo.InvariantCulture) + "\n"));
        Assert.Equal(expected.Length, stdout.Length);
        Assert.Equal(expected, stdout);
        Assert.Equal(expected.Length, result.StdoutBytes);
    }

    [Fact]
    public async Task Argv_runs_without_a_shell()
    {
        await using var server = await ExecServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await using var execution = await client.ExecAsync(["printf", "%s|", "$HOME;", "a b"]);

        using var stdout = new MemoryStream();
        var result = await execution.CopyOutputToAsync(stdout, Stream.Null);

        Assert.Equal("$HOME;|a b|", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task A_missing_program_is_exit_127_through_the_shell_and_not_found_as_argv()
    {
        await using var server = await ExecServer.StartAsync();
        await using var client = await server.ConnectAsync();

        var (result, _, stderr) = await RunAsync(client, "no-such-program-here");
        Assert.Equal(127, result.ExitCode);
        Assert.Contains("no-such-program-here", stderr, StringComparison.Ordinal);

        await using var execution = await client.ExecAsync(["no-such-program-here", "x"]);
        var refused = await Assert.ThrowsAsync<SockitRemoteException>(execution.GetResultAsync);
        Assert.Equal(SockitErrorCode.NotFound, refused.Code);
        Assert.Equal("hi", await client.EchoAsync("hi"));
    }

    [Fact]
    public async Task A_command_killed_by_a_signal_reports_the_signal()
    {
        await using var server = await ExecServer.StartAsync();
        await using var client = await server.ConnectAsync();

        var (result, _, _) = await RunAsync(client, "kill -TERM $$");

        Assert.Null(result.ExitCode);
        Assert.Equal(15, result.Signal);
        Assert.Equal("TERM", result.SignalName);
        Assert.Equal(143, result.ShellStatus);
    }

    [Fact]
    public async Task Cwd_and_env_apply_and_null_removes_a_variable()
    {
        await using var server = await ExecServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var folder = Directory.CreateTempSubdirectory("sockit-exec-cwd-");
        try
        {
            var (_, stdout, _) = await RunAsync(
                client,
                "pwd; echo \"$GREETING\"; echo \"${HOME-unset}\"",
                new SockitExecOptions
                {
                    WorkingDirectory = folder.FullName,
                    Environment = new Dictionary<string, string?> { ["GREETING"] = "hello there", ["HOME"] = null },
                });

            Assert.Equal($"{folder.FullName}\nhello there\nunset\n", stdout);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_timeout_ends_the_whole_tree()
    {
        await using var server = await ExecServer.StartAsync(new Dictionary<string, string?> { ["Sockit:Exec:KillGrace"] = "00:00:00.500" });
        await using var client = await server.ConnectAsync();
        await using var execution = await client.ExecAsync(
            "echo $$; sleep 300 & sleep 300", new SockitExecOptions { Timeout = TimeSpan.FromMilliseconds(500) });

        using var stdout = new MemoryStream();
        var result = await execution.CopyOutputToAsync(stdout, Stream.Null);

        Assert.True(result.TimedOut);
        Assert.Equal(15, result.Signal);
        int group = int.Parse(Encoding.ASCII.GetString(stdout.ToArray()).Trim(), CultureInfo.InvariantCulture);
        await ProcessGroup.AssertEmptiesAsync(group, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Background_processes_do_not_outlive_their_command()
    {
        await using var server = await ExecServer.StartAsync(new Dictionary<string, string?> { ["Sockit:Exec:KillGrace"] = "00:00:00.200" });
        await using var client = await server.ConnectAsync();

        var (result, stdout, _) = await RunAsync(client, "sleep 300 >/dev/null 2>&1 & echo $$");

        Assert.Equal(0, result.ExitCode);
        await ProcessGroup.AssertEmptiesAsync(int.Parse(stdout.Trim(), CultureInfo.InvariantCulture), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Anonymous_is_unauthenticated_and_a_user_without_exec_is_forbidden()
    {
        await using var server = await ExecServer.StartAsync();
        await using var anonymous = await server.ConnectAsync(null);
        await using var viewer = await server.ConnectAsync(ExecServer.Viewer);

        await using var first = await anonymous.ExecAsync("true");
        Assert.Equal(SockitErrorCode.Unauthenticated, (await Assert.ThrowsAsync<SockitRemoteException>(first.GetResultAsync)).Code);
        await using var second = await viewer.ExecAsync("true");
        Assert.Equal(SockitErrorCode.Forbidden, (await Assert.ThrowsAsync<SockitRemoteException>(second.GetResultAsync)).Code);
    }

    [Fact]
    public async Task Exec_can_be_switched_off()
    {
        await using var server = await ExecServer.StartAsync(new Dictionary<string, string?> { ["Sockit:Exec:Enabled"] = "false" });
        await using var client = await server.ConnectAsync();

        await using var execution = await client.ExecAsync("true");
        var refused = await Assert.ThrowsAsync<SockitRemoteException>(execution.GetResultAsync);

        Assert.Equal(SockitErrorCode.Forbidden, refused.Code);
        Assert.Contains("switched off", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_past_the_per_user_limit_gets_server_busy_until_a_command_ends()
    {
        await using var server = await ExecServer.StartAsync(new Dictionary<string, string?> { ["Sockit:Exec:MaxRunningPerUser"] = "1" });
        await using var client = await server.ConnectAsync();
        await using var running = await client.ExecAsync("echo started; read line", new SockitExecOptions { KeepInputOpen = true });
        await using var output = running.ReadOutputAsync().GetAsyncEnumerator();
        Assert.True(await output.MoveNextAsync());

        await using (var second = await client.ExecAsync("true"))
        {
            var busy = await Assert.ThrowsAsync<SockitRemoteException>(second.GetResultAsync);
            Assert.Equal(SockitErrorCode.ServerBusy, busy.Code);
        }

        await running.CompleteInputAsync();
        Assert.False(await output.MoveNextAsync());
        Assert.Equal(1, (await running.GetResultAsync()).ExitCode);
        var (result, _, _) = await RunAsync(client, "true");
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Commands_run_one_after_another_at_the_limit_are_never_refused()
    {
        // The slot is freed before the final reply goes out: the next command, sent as soon as the reply is in,
        // must not find the last one still counted.
        await using var server = await ExecServer.StartAsync(new Dictionary<string, string?> { ["Sockit:Exec:MaxRunningPerUser"] = "1" });
        await using var client = await server.ConnectAsync();

        for (int i = 0; i < 20; i++)
        {
            var (result, _, _) = await RunAsync(client, "true");
            Assert.Equal(0, result.ExitCode);
        }
    }

    [Fact]
    public async Task The_server_wide_limit_counts_every_user()
    {
        await using var server = await ExecServer.StartAsync(new Dictionary<string, string?> { ["Sockit:Exec:MaxRunning"] = "1" });
        server.Server.Users.Add("second", "second password", Server.Accounts.Permissions.Exec);
        await using var first = await server.ConnectAsync();
        await using var other = await SockitClient.ConnectAsync(
            server.Server.Framed, new SockitClientOptions { Credentials = Client.Auth.SockitCredentials.FromPassword("second", "second password") });
        await using var running = await first.ExecAsync("echo started; read line", new SockitExecOptions { KeepInputOpen = true });
        await using var output = running.ReadOutputAsync().GetAsyncEnumerator();
        Assert.True(await output.MoveNextAsync());

        await using var refused = await other.ExecAsync("true");
        var busy = await Assert.ThrowsAsync<SockitRemoteException>(refused.GetResultAsync);

        Assert.Equal(SockitErrorCode.ServerBusy, busy.Code);
        Assert.Contains("server", busy.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_command_has_one_audit_line()
    {
        await using var server = await ExecServer.StartAsync();
        await using var client = await server.ConnectAsync();

        await RunAsync(client, "echo audited; exit 4");

        var line = Assert.Single(server.Server.Log.Entries, e => e.Event.Id == 1600);
        Assert.Contains("user=operator", line.Message, StringComparison.Ordinal);
        Assert.Contains("command=echo audited; exit 4", line.Message, StringComparison.Ordinal);
        Assert.Contains("exit_code=4", line.Message, StringComparison.Ordinal);
        Assert.Contains("stdout_bytes=8", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pty_command_has_a_terminal_of_the_asked_size_that_follows_resizes()
    {
        await using var server = await ExecServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await using var execution = await client.ExecAsync(
            "stty size; read line; stty size; echo \"$TERM\"",
            new SockitExecOptions { Pty = true, WindowSize = (30, 100), KeepInputOpen = true, Term = "vt100" });

        var text = new StringBuilder();
        await using var output = execution.ReadOutputAsync().GetAsyncEnumerator();
        while (!text.ToString().Contains("30 100\r\n", StringComparison.Ordinal))
        {
            Assert.True(await output.MoveNextAsync(), $"the terminal ended early: {text}");
            text.Append(Encoding.UTF8.GetString(output.Current.Data.Span));
        }

        await execution.ResizeAsync(40, 120);
        await execution.WriteInputAsync("\n"u8.ToArray());
        while (await output.MoveNextAsync())
        {
            text.Append(Encoding.UTF8.GetString(output.Current.Data.Span));
        }

        Assert.Contains("40 120\r\nvt100\r\n", text.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, (await execution.GetResultAsync()).ExitCode);
    }

    [Fact]
    public async Task A_signal_control_reaches_the_command()
    {
        await using var server = await ExecServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await using var execution = await client.ExecAsync("trap 'echo got INT; exit 0' INT; echo ready; while :; do sleep 1; done");
        await using var output = execution.ReadOutputAsync().GetAsyncEnumerator();
        Assert.True(await output.MoveNextAsync());
        Assert.Equal("ready\n", Encoding.UTF8.GetString(output.Current.Data.Span));

        await execution.SignalAsync("INT");

        Assert.True(await output.MoveNextAsync());
        Assert.Equal("got INT\n", Encoding.UTF8.GetString(output.Current.Data.Span));
        Assert.Equal(0, (await execution.GetResultAsync()).ExitCode);
    }
}
