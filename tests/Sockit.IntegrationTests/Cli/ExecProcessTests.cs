using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sockit.IntegrationTests.Exec;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Addressing;

namespace Sockit.IntegrationTests.Cli;

/// <summary><c>sockit exec</c> as a script uses it, like <c>ssh HOST COMMAND</c>: pipes, bytes, exit codes, failures.</summary>
public sealed class ExecProcessTests : IAsyncLifetime
{
    private ExecHost _host = null!;

    public async Task InitializeAsync() => _host = await ExecHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(int ExitCode, string Output, string Error)> ExecAsync(string[] arguments, string input = "", string? user = ExecServer.Operator)
    {
        var (exit, output, error) = await SockitBytes.RunAsync(["exec", .. arguments], _host.Environment(user), Encoding.UTF8.GetBytes(input));
        return (exit, Encoding.UTF8.GetString(output), error);
    }

    [Fact]
    public async Task Piped_input_reaches_the_command_and_its_output_comes_back()
    {
        Assert.Equal((0, "b\na\n", ""), await ExecAsync(["--", "sort", "-r"], input: "a\nb\n"));
    }

    [Fact]
    public async Task Piped_input_to_a_remote_terminal_ends_as_ctrl_d_would_end_it()
    {
        var results = await Task.WhenAll(
            ExecAsync(["--pty", "--", "cat; echo done"], input: "hello\n"),
            ExecAsync(["-t", "--", "cat; echo; echo done"], input: "no newline"));

        // The terminal echoes what it is given, then cat writes it; a terminal ends its lines with \r\n.
        Assert.Equal((0, "hello\r\nhello\r\ndone\r\n", ""), results[0]);
        Assert.Equal((0, "no newlineno newline\r\ndone\r\n", ""), results[1]);
    }

    [Fact]
    public async Task Stdout_and_stderr_stay_apart_and_several_words_are_one_shell_command_line_as_with_ssh()
    {
        var result = await ExecAsync(["echo", "out", "$((6*7));", "echo", "err", ">&2"]);

        Assert.Equal((0, "out 42\n", "err\n"), result);
    }

    [Fact]
    public async Task The_remote_exit_status_is_sockits_and_a_signal_is_128_plus_its_number()
    {
        var results = await Task.WhenAll(ExecAsync(["exit 7"]), ExecAsync(["kill -TERM $$"]));

        Assert.Equal((7, "", ""), results[0]);
        Assert.Equal((143, "", ""), results[1]);
    }

    [Fact]
    public async Task Binary_output_and_input_pass_byte_for_byte()
    {
        var file = Path.Combine(_host.Home.FullName, "random.bin");
        var stored = new byte[2 * 1024 * 1024 + 3];
        var piped = new byte[1024 * 1024 + 5];
        new Random(11).NextBytes(stored);
        new Random(12).NextBytes(piped);
        await File.WriteAllBytesAsync(file, stored);

        var results = await Task.WhenAll(
            SockitBytes.RunAsync(["exec", "--", "cat", file], _host.Environment()),
            SockitBytes.RunAsync(["exec", "--", "cat"], _host.Environment(), piped));

        Assert.Equal((0, ""), (results[0].ExitCode, results[0].Error));
        Assert.True(stored.AsSpan().SequenceEqual(results[0].Output), $"cat FILE gave {results[0].Output.Length} bytes that differ from the file's {stored.Length}");
        Assert.Equal((0, ""), (results[1].ExitCode, results[1].Error));
        Assert.True(piped.AsSpan().SequenceEqual(results[1].Output), $"cat gave back {results[1].Output.Length} bytes that differ from the {piped.Length} piped in");
    }

    [Fact]
    public async Task When_its_reader_goes_away_as_head_does_the_remote_command_ends_and_sockit_exits_141_quietly()
    {
        using var process = Process.Start(SockitProcess.StartInfo(["exec", "--", "echo $$ >&2; exec yes"], _host.Environment()))!;
        process.StandardInput.Close();
        var group = int.Parse((await process.StandardError.ReadLineAsync())!, CultureInfo.InvariantCulture);
        await process.StandardOutput.BaseStream.ReadExactlyAsync(new byte[10]);

        process.StandardOutput.BaseStream.Dispose();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(141, process.ExitCode);
        Assert.Equal("", await process.StandardError.ReadToEndAsync());
        await ProcessGroup.AssertEmptiesAsync(group, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_command_past_its_timeout_is_ended_and_sockit_exits_124_with_one_line()
    {
        var (exit, output, error) = await ExecAsync(["--timeout", "0.5", "--", "sleep", "30"]);

        Assert.Equal((124, ""), (exit, output));
        Assert.Matches(@"^sockit: the remote command timed out after [0-9.]+ s and was ended\n$", error);
    }

    [Fact]
    public async Task Encoding_decodes_gbk_output_into_the_local_utf8_and_without_it_bytes_pass()
    {
        // 你好 in GBK, in octal: the shell's printf has no \x.
        var decoded = ExecAsync(["--encoding", "gbk", "--", @"printf '\304\343\272\303'; printf '\272\303' >&2"]);
        var raw = SockitBytes.RunAsync(["exec", "--", @"printf '\304\343\272\303'"], _host.Environment());

        Assert.Equal((0, "你好", "好"), await decoded);
        Assert.Equal(new byte[] { 0xc4, 0xe3, 0xba, 0xc3 }, (await raw).Output);
    }

    [Fact]
    public async Task Env_and_cwd_apply_to_the_command()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_host.Home.FullName, "work folder"));

        var result = await ExecAsync(["--cwd", folder.FullName, "--env", "GREETING=hello there", "-e", "EMPTY=", "--", "pwd; echo \"$GREETING\"; echo \"[${EMPTY-unset}]\""]);

        Assert.Equal((0, $"{folder.FullName}\nhello there\n[]\n", ""), result);
    }

    [Fact]
    public async Task A_missing_program_is_127_with_the_shells_line_and_a_missing_folder_is_the_servers_not_found()
    {
        var results = await Task.WhenAll(
            ExecAsync(["no-such-program-here", "x"]),
            ExecAsync(["--cwd", "/no/such/folder", "--", "ls"]));

        Assert.Equal((127, ""), (results[0].ExitCode, results[0].Output));
        Assert.Contains("no-such-program-here", results[0].Error, StringComparison.Ordinal);
        Assert.Contains("not found", results[0].Error, StringComparison.Ordinal);
        Assert.Equal((6, ""), (results[1].ExitCode, results[1].Output));
        Assert.Equal("sockit: server error (not_found): cwd '/no/such/folder' does not exist\n", results[1].Error);
    }

    [Fact]
    public async Task Anonymous_and_a_user_without_exec_are_refused_in_one_line_with_exit_10()
    {
        var results = await Task.WhenAll(ExecAsync(["true"], user: null), ExecAsync(["true"], user: ExecServer.Viewer));

        Assert.Equal(10, results[0].ExitCode);
        Assert.Matches(@"^sockit: server error \(unauthenticated\): [^\n]+\n$", results[0].Error);
        Assert.Equal(10, results[1].ExitCode);
        Assert.Matches(@"^sockit: server error \(forbidden\): [^\n]+\n$", results[1].Error);
    }

    [Fact]
    public async Task On_this_machine_the_local_login_needs_nothing_typed()
    {
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = _host.Home.FullName };
        await using var serve = await SockitProcess.ServeAsync(["--listen", "framed=tcp://127.0.0.1:0"], environment);

        var (exit, output, error) = await SockitProcess.RunWithAsync(
            ["exec", "-s", serve.Endpoint("Framed", AddressScheme.Tcp).ToString(), "--", "echo", "hi"], environment);

        Assert.Equal((0, "hi\n", ""), (exit, output, error));
    }
}
