using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Errors;

namespace Sockit.IntegrationTests.Tutorials;

/// <summary>
/// The legacy command listener at the byte level: the tutorials' reply format for large and cut output, its limits and
/// timeouts, the HMAC challenge, and the rule that without a key it listens only where only local clients reach it.
/// </summary>
public sealed class LegacyExecTests : IDisposable
{
    private const string Key = "linhaifeng bang bang bang";

    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("sockit-legacy-test-");

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public async Task Large_output_arrives_complete_with_its_size_and_the_connection_takes_the_next_command()
    {
        await using var server = await StartAsync();
        await using var client = await LegacyClient.ConnectAsync(server.LegacyExec);

        var (dataSize, body) = await client.RunAsync("head -c 5000000 /dev/zero");

        Assert.Equal(5_000_000, dataSize);
        Assert.Equal(5_000_000, body.Length);
        Assert.True(body.All(b => b == 0));
        Assert.Equal("next\n", await client.RunTextAsync("echo next"));
    }

    [Fact]
    public async Task Output_past_the_limit_is_cut_with_a_note_and_the_command_is_ended()
    {
        await using var server = await StartAsync(("Sockit:Exec:Legacy:MaxOutputLength", "1024"));
        await using var client = await LegacyClient.ConnectAsync(server.LegacyExec);

        // yes never ends by itself: only the cut ends it.
        var text = await client.RunTextAsync("yes");

        Assert.Equal(
            string.Concat(Enumerable.Repeat("y\n", 512)) + "sockit: output cut at 1024 bytes (Sockit:Exec:Legacy:MaxOutputLength); the command was ended\n",
            text);
        Assert.Contains(server.Log.Entries, e => e.Event.Id == 1604);
    }

    [Fact]
    public async Task A_command_past_its_timeout_has_its_whole_process_group_ended()
    {
        await using var server = await StartAsync(("Sockit:Exec:DefaultTimeout", "00:00:01"), ("Sockit:Exec:KillGrace", "00:00:00.500"));
        await using var client = await LegacyClient.ConnectAsync(server.LegacyExec);

        var text = await client.RunTextAsync("echo $$; sleep 300 & sleep 300");

        var lines = text.Split('\n');
        int group = int.Parse(lines[0], CultureInfo.InvariantCulture);
        Assert.Equal("sockit: timed out after 1 s; the command and its processes were ended", lines[1]);
        Assert.Contains(server.Log.Entries, e => e.Event.Id == 1600 && e.Message.Contains("ended=timed out", StringComparison.Ordinal));

        // The signals are delivered asynchronously, so wait for the group to empty rather than expect it at once.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (LiveProcessesIn(group) is { Count: > 0 } alive)
        {
            Assert.False(giveUp.IsCancellationRequested, $"still alive in group {group}: {string.Join(", ", alive)}");
            await Task.Delay(10, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_client_that_goes_away_mid_command_has_its_process_group_ended()
    {
        // The tutorials' client killed (or stopped with Ctrl+C) while its command runs: its socket closes with a FIN.
        await using var server = await StartAsync(("Sockit:Exec:KillGrace", "00:00:00.500"));
        var client = await LegacyClient.ConnectAsync(server.LegacyExec);
        var pidFile = Path.Combine(_scratch.FullName, "shell.pid");
        await client.SendAsync(Encoding.UTF8.GetBytes($"echo $$ > {pidFile}; sleep 300 & sleep 300"));

        // The shell writes its pid, its process group's id, once it runs.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        string written;
        while (!File.Exists(pidFile) || !(written = await File.ReadAllTextAsync(pidFile, CancellationToken.None)).EndsWith('\n'))
        {
            Assert.False(giveUp.IsCancellationRequested, "the command never started");
            await Task.Delay(10, CancellationToken.None);
        }

        int group = int.Parse(written, CultureInfo.InvariantCulture);
        Assert.NotEmpty(LiveProcessesIn(group));
        await client.DisposeAsync();

        using var stillRunning = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (LiveProcessesIn(group) is { Count: > 0 } alive)
        {
            Assert.False(stillRunning.IsCancellationRequested, $"still alive in group {group}: {string.Join(", ", alive)}");
            await Task.Delay(10, CancellationToken.None);
        }
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("sha256")]
    public async Task The_right_hmac_answer_lets_commands_in_even_with_the_first_command_in_the_same_packet(string digest)
    {
        await using var server = await StartAsync(("Sockit:Exec:Legacy:HmacKey", Key), ("Sockit:Exec:Legacy:HmacDigest", digest));
        await using var client = await LegacyClient.ConnectAsync(server.LegacyExec);

        var nonce = await client.ReceiveAsync(32);
        var answer = CryptographicOperations.HmacData(new HashAlgorithmName(digest.ToUpperInvariant()), Encoding.UTF8.GetBytes(Key), nonce);
        var (_, body) = await client.RunAsync([.. answer, .. "echo in"u8]);

        Assert.Equal("in\n", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task A_wrong_hmac_answer_is_closed_and_logged_with_the_clients_address()
    {
        await using var server = await StartAsync(("Sockit:Exec:Legacy:HmacKey", Key));
        await using var client = await LegacyClient.ConnectAsync(server.LegacyExec);

        await client.ReceiveAsync(32);
        await client.SendAsync(new byte[16]);

        Assert.True(await client.IsClosedByServerAsync());
        var failure = Assert.Single(server.Log.Entries, e => e.Event.Id == 1603);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, failure.Level);
        Assert.Contains("127.0.0.1:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("wrong answer", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_hmac_answer_within_the_header_timeout_is_closed_and_logged()
    {
        await using var server = await StartAsync(("Sockit:Exec:Legacy:HmacKey", Key), ("Sockit:HeaderTimeout", "00:00:00.300"));
        await using var client = await LegacyClient.ConnectAsync(server.LegacyExec);

        await client.ReceiveAsync(32);

        Assert.True(await client.IsClosedByServerAsync());
        Assert.Contains(server.Log.Entries, e => e.Event.Id == 1603 && e.Message.Contains("no answer within 0.3 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_http_request_a_web_page_could_send_through_a_browser_is_closed_and_nothing_runs()
    {
        var marker = Path.Combine(_scratch.FullName, "pwned");
        await using var server = await StartAsync();
        await using var client = await LegacyClient.ConnectAsync(server.LegacyExec);
        var body = $"touch '{marker}'\n";

        await client.SendAsync(Encoding.UTF8.GetBytes(
            $"POST / HTTP/1.1\r\nHost: {server.LegacyExec.HostPort}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n{body}"));

        Assert.True(await client.IsClosedByServerAsync());
        Assert.False(File.Exists(marker));
        Assert.Contains(server.Log.Entries, e => e.Event.Id == 1605);
        Assert.DoesNotContain(server.Log.Entries, e => e.Event.Id == 1600);
    }

    [Fact]
    public async Task A_non_loopback_address_without_a_key_refuses_to_start()
    {
        var ex = await Assert.ThrowsAsync<SockitException>(() => StartAsync(("Sockit:Exec:Legacy:Address", "tcp://0.0.0.0:0")));

        Assert.Equal(SockitErrorCode.InvalidAddress, ex.Code);
        Assert.StartsWith("cannot listen on tcp://0.0.0.0:0: the legacy command listener's clients cannot log in", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unix_socket_needs_no_key()
    {
        var path = Path.Combine(_scratch.FullName, "legacy.sock");
        await using var server = await StartAsync(("Sockit:Exec:Legacy:Address", $"unix:{path}"));
        await using var client = await LegacyClient.ConnectAsync(server.LegacyExec);

        Assert.Equal("local\n", await client.RunTextAsync("echo local"));
    }

    [Fact]
    public async Task A_command_that_cannot_run_is_answered_with_the_reason_as_its_output_and_the_connection_goes_on()
    {
        await using var server = await StartAsync();
        await using var client = await LegacyClient.ConnectAsync(server.LegacyExec);

        var (_, notUtf8) = await client.RunAsync([0x65, 0x63, 0x68, 0x6f, 0x20, 0xff]);
        var (_, nul) = await client.RunAsync("echo a\0b"u8.ToArray());

        Assert.Equal("sockit: invalid_argument: the command is not valid UTF-8\n", Encoding.UTF8.GetString(notUtf8));
        Assert.Equal("sockit: invalid_argument: command contains a NUL character\n", Encoding.UTF8.GetString(nul));
        Assert.Equal("still here\n", await client.RunTextAsync("echo still here"));
        Assert.Equal(2, server.Log.Entries.Count(e => e.Event.Id == 1601 && e.Message.Contains("via=legacy", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Remote_commands_switched_off_are_refused_here_too()
    {
        await using var server = await StartAsync(("Sockit:Exec:Enabled", "false"));
        await using var client = await LegacyClient.ConnectAsync(server.LegacyExec);

        Assert.Equal(
            "sockit: forbidden: remote commands are switched off on this server (Sockit:Exec:Enabled)\n",
            await client.RunTextAsync("echo no"));
    }

    [Fact]
    public async Task Past_the_exec_limit_a_command_gets_server_busy_and_shutdown_ends_the_one_running()
    {
        var marker = Path.Combine(_scratch.FullName, "started");
        var server = await StartAsync(
            ("Sockit:Exec:MaxRunningPerUser", "1"), ("Sockit:ShutdownTimeout", "00:00:01"), ("Sockit:Exec:KillGrace", "00:00:00.200"));
        await using var running = await LegacyClient.ConnectAsync(server.LegacyExec);
        await using var next = await LegacyClient.ConnectAsync(server.LegacyExec);
        try
        {
            await running.SendAsync(Encoding.UTF8.GetBytes($"touch '{marker}'; exec sleep 300"));
            using (var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
                while (!File.Exists(marker))
                {
                    await Task.Delay(10, giveUp.Token);
                }
            }

            Assert.Equal(
                "sockit: server_busy: '(legacy)' already runs 1 commands, the most one user may run at once; try again when one has ended\n",
                await next.RunTextAsync("echo busy"));
        }
        finally
        {
            var stopping = Stopwatch.StartNew();
            await server.DisposeAsync();
            Assert.InRange(stopping.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        }

        // Ended by the shutdown, the command's reply is never sent: the connection just closes.
        Assert.True(await running.IsClosedByServerAsync());
        Assert.Contains(server.Log.Entries, e => e.Event.Id == 1600 && e.Message.Contains("ended=aborted", StringComparison.Ordinal));
    }

    /// <summary>A server with the framed protocol and the legacy command listener on ephemeral loopback ports.</summary>
    internal static Task<TestServer> StartAsync(params (string Key, string Value)[] settings)
    {
        var overrides = new Dictionary<string, string?> { ["Sockit:Exec:Legacy:Address"] = "tcp://127.0.0.1:0" };
        foreach (var (key, value) in settings)
        {
            overrides[key] = value;
        }

        return TestServer.StartAsync(overrides, ["framed=tcp://127.0.0.1:0"]);
    }

    /// <summary>The processes of <paramref name="group"/> that have not died: zombies are dead, only not yet reaped.</summary>
    private static List<int> LiveProcessesIn(int group)
    {
        var alive = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            // After the command name in parentheses: state, parent, process group.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] != "Z" && fields[2] == group.ToString(CultureInfo.InvariantCulture))
            {
                alive.Add(pid);
            }
        }

        return alive;
    }
}
