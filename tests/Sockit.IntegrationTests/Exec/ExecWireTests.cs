using System.Globalization;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Sessions;

namespace Sockit.IntegrationTests.Exec;

/// <summary>The <c>exec</c> operation on the wire: parts, final replies, cancel, disconnect, shutdown and bad requests.</summary>
public sealed class ExecWireTests
{
    /// <summary>Reads frames to the final one of request <paramref name="id"/>: the parts' (stream, text), then the final frame.</summary>
    private static async Task<(List<(string? Stream, string Text)> Parts, WireFrame Final)> ReadToEndAsync(FrameConnection connection, long id)
    {
        var parts = new List<(string?, string)>();
        while (true)
        {
            var (frame, body) = await connection.ReadFrameAsync();
            Assert.Equal(id, frame.Id);
            if (frame.Kind != "part")
            {
                return (parts, frame);
            }

            Assert.Equal("exec", frame.Op);
            parts.Add((frame.Stream, Encoding.UTF8.GetString(body)));
        }
    }

    /// <summary>Reads the first part of request <paramref name="id"/>, the shell's pid its command printed: the tree's group.</summary>
    private static async Task<int> ReadGroupAsync(FrameConnection connection, long id)
    {
        var (frame, body) = await connection.ReadFrameAsync();
        Assert.Equal(("part", id), (frame.Kind, frame.Id));
        return int.Parse(Encoding.ASCII.GetString(body).Trim(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Parts_name_their_stream_and_the_final_reply_has_the_exit_status()
    {
        await using var server = await ExecServer.StartAsync();
        await using var connection = await server.OpenRawAsync();

        await connection.SendFrameAsync("""{"op":"exec","id":3,"command":"printf out; printf err >&2; exit 5"}""");
        var (parts, final) = await ReadToEndAsync(connection, 3);

        Assert.Contains(("stdout", "out"), parts);
        Assert.Contains(("stderr", "err"), parts);
        Assert.Equal((true, 5), (final.Ok, final.ExitCode));
        Assert.Equal((false, false), (final.TimedOut, final.Cancelled));
    }

    [Fact]
    public async Task Cancel_ends_the_tree_and_the_reply_says_cancelled()
    {
        await using var server = await ExecServer.StartAsync(new Dictionary<string, string?> { ["Sockit:Exec:KillGrace"] = "00:00:00.500" });
        await using var connection = await server.OpenRawAsync();
        await connection.SendFrameAsync("""{"op":"exec","id":3,"command":"echo $$; sleep 300 & sleep 300"}""");
        int group = await ReadGroupAsync(connection, 3);

        await connection.SendFrameAsync("""{"kind":"cancel","id":3}""");
        var (_, final) = await ReadToEndAsync(connection, 3);

        Assert.Equal((true, true, 15), (final.Ok, final.Cancelled, final.Signal));
        await ProcessGroup.AssertEmptiesAsync(group, TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_client_that_goes_away_ends_the_tree(bool reset)
    {
        await using var server = await ExecServer.StartAsync(new Dictionary<string, string?> { ["Sockit:Exec:KillGrace"] = "00:00:00.500" });
        var connection = await server.OpenRawAsync();
        await connection.SendFrameAsync("""{"op":"exec","id":3,"command":"echo $$; sleep 300 & sleep 300"}""");
        int group = await ReadGroupAsync(connection, 3);

        // A reset ends the connection at once. A plain close (what a killed `sockit exec` does: its kernel closes the
        // socket) sends a FIN, like a client that only finished sending; the server's probe finds out which, since a
        // closed socket answers it with a reset.
        if (reset)
        {
            connection.Socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);
        }

        await connection.DisposeAsync();

        await ProcessGroup.AssertEmptiesAsync(group, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_tls_client_that_closes_its_socket_ends_the_tree()
    {
        // Over TLS the probe's failed send stays inside the TLS layer; the server looks at the socket underneath.
        using var files = new Tls.TlsFiles();
        var certificate = files.Create("server", ["localhost"]);
        await using var server = await ExecServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["Sockit:Exec:KillGrace"] = "00:00:00.500",
                ["Sockit:Tls:CertificateFile"] = certificate.CertificateFile,
                ["Sockit:Tls:KeyFile"] = certificate.KeyFile,
            },
            ["framed=tls://127.0.0.1:0"]);
        var connection = await server.OpenRawAsync(certificate.Certificate);
        await connection.SendFrameAsync("""{"op":"exec","id":3,"command":"echo $$; sleep 300 & sleep 300"}""");
        int group = await ReadGroupAsync(connection, 3);

        await connection.DisposeAsync();

        await ProcessGroup.AssertEmptiesAsync(group, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_half_closed_client_gets_its_reply_and_skips_the_probes_before_it()
    {
        await using var server = await ExecServer.StartAsync();
        await using var connection = await server.OpenRawAsync();
        await connection.SendFrameAsync("""{"op":"exec","id":3,"command":"sleep 2; echo done"}""");
        connection.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        int probes = 0;
        var output = new StringBuilder();
        WireFrame frame;
        while (true)
        {
            byte[] body;
            (frame, body) = await connection.ReadFrameAsync();
            if (frame.Kind == "probe")
            {
                Assert.Null(frame.Id);
                probes++;
                continue;
            }

            Assert.Equal(3, frame.Id);
            if (frame.Kind != "part")
            {
                break;
            }

            output.Append(Encoding.UTF8.GetString(body));
        }

        Assert.Equal((true, 0), (frame.Ok, frame.ExitCode));
        Assert.Equal("done\n", output.ToString());
        Assert.True(probes > 0, "a command that runs on after the client's end of stream is waited for with probes");
        await connection.AssertClosedByServerAsync();
    }

    [Fact]
    public async Task Shutdown_ends_the_tree_and_answers_shutting_down()
    {
        var server = await ExecServer.StartAsync(new Dictionary<string, string?>
        {
            ["Sockit:Exec:KillGrace"] = "00:00:00.500",
            ["Sockit:ShutdownTimeout"] = "00:00:03",
        });
        await using var connection = await server.OpenRawAsync();
        await connection.SendFrameAsync("""{"op":"exec","id":3,"command":"echo $$; sleep 300 & sleep 300"}""");
        int group = await ReadGroupAsync(connection, 3);

        var stopping = server.DisposeAsync();
        var (_, final) = await ReadToEndAsync(connection, 3);
        await stopping;

        Assert.Equal((false, "shutting_down"), (final.Ok, final.Error));
        await ProcessGroup.AssertEmptiesAsync(group, TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("""{"op":"exec","id":3}""", "invalid_argument", "exactly one of command")]
    [InlineData("""{"op":"exec","id":3,"command":"true","argv":["true"]}""", "invalid_argument", "exactly one of command")]
    [InlineData("""{"op":"exec","id":3,"command":"  "}""", "invalid_argument", "command is empty")]
    [InlineData("""{"op":"exec","id":3,"argv":[]}""", "invalid_argument", "argv is empty")]
    [InlineData("""{"op":"exec","id":3,"argv":["echo",1]}""", "invalid_argument", "argv[1]")]
    [InlineData("""{"op":"exec","id":3,"command":"echo a\u0000b"}""", "invalid_argument", "NUL")]
    [InlineData("""{"op":"exec","id":3,"command":"true","cwd":"/no/such/folder"}""", "not_found", "does not exist")]
    [InlineData("""{"op":"exec","id":3,"command":"true","cwd":"/etc/passwd"}""", "invalid_argument", "not a folder")]
    [InlineData("""{"op":"exec","id":3,"command":"true","env":{"1BAD":"x"}}""", "invalid_argument", "not a variable name")]
    [InlineData("""{"op":"exec","id":3,"command":"true","env":{"A=B":"x"}}""", "invalid_argument", "not a variable name")]
    [InlineData("""{"op":"exec","id":3,"command":"true","timeout_s":0}""", "invalid_argument", "timeout_s")]
    [InlineData("""{"op":"exec","id":3,"command":"true","timeout_s":-5}""", "invalid_argument", "timeout_s")]
    [InlineData("""{"op":"exec","id":3,"command":"true","timeout_s":1e12}""", "invalid_argument", "maximum")]
    [InlineData("""{"op":"exec","id":3,"command":"true","timeout_s":"soon"}""", "invalid_argument", "timeout_s")]
    [InlineData("""{"op":"exec","id":3,"command":"true","pty":true,"rows":0}""", "invalid_argument", "rows")]
    [InlineData("""{"op":"exec","id":3,"command":"true","pty":true,"term":"x\u001b[0m"}""", "invalid_argument", "term")]
    [InlineData("""{"op":"exec","command":"cat","input":true}""", "invalid_argument", "needs the request to have an id")]
    public async Task Bad_requests_are_refused_with_a_clear_error_and_the_connection_serves_on(string request, string code, string says)
    {
        await using var server = await ExecServer.StartAsync();
        await using var connection = await server.OpenRawAsync();

        await connection.SendFrameAsync(request);
        var (refusal, _) = await connection.ReadFrameAsync();
        await connection.SendFrameAsync("""{"op":"exec","id":4,"argv":["echo","still here"]}""");
        var (parts, final) = await ReadToEndAsync(connection, 4);

        Assert.Equal((false, code), (refusal.Ok, refusal.Error));
        Assert.Contains(says, refusal.Message, StringComparison.Ordinal);
        Assert.Equal([("stdout", "still here\n")], parts);
        Assert.Equal(0, final.ExitCode);
        // Only the second request ran anything.
        Assert.Contains("still here", Assert.Single(server.Server.Log.Entries, e => e.Event.Id == 1600).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_control_frame_is_refused_without_an_id_and_the_command_runs_on()
    {
        await using var server = await ExecServer.StartAsync();
        await using var connection = await server.OpenRawAsync();
        await connection.SendFrameAsync("""{"op":"exec","id":3,"command":"echo ready; read line; echo \"got $line\"","input":true}""");
        Assert.Equal("part", (await connection.ReadFrameAsync()).Header.Kind);

        await connection.SendFrameAsync("""{"kind":"control","id":3,"signal":"SEGV"}""");
        var (refusal, _) = await connection.ReadFrameAsync();
        await connection.SendFrameAsync("""{"kind":"control","id":3,"rows":10,"cols":10}""");
        var (noTerminal, _) = await connection.ReadFrameAsync();
        await connection.SendFrameAsync("""{"kind":"control","id":3,"signal":5}""");
        var (wrongType, _) = await connection.ReadFrameAsync();
        await connection.SendFrameAsync("""{"kind":"control","id":3,"rows":"x","cols":10}""");
        var (wrongSize, _) = await connection.ReadFrameAsync();
        await connection.SendInputAsync(3, "x\n"u8.ToArray());
        var (parts, final) = await ReadToEndAsync(connection, 3);

        Assert.Equal((false, "invalid_argument", (long?)null), (refusal.Ok, refusal.Error, refusal.Id));
        Assert.Contains("not a signal a client may send", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("no terminal", noTerminal.Message, StringComparison.Ordinal);
        Assert.Equal(("invalid_argument", (long?)null), (wrongType.Error, wrongType.Id));
        Assert.Contains("signal", wrongType.Message, StringComparison.Ordinal);
        Assert.Equal(("invalid_argument", (long?)null), (wrongSize.Error, wrongSize.Id));
        Assert.Equal([("stdout", "got x\n")], parts);
        Assert.Equal(0, final.ExitCode);
    }

    [Fact]
    public async Task Without_input_the_command_reads_end_of_file_at_once()
    {
        await using var server = await ExecServer.StartAsync();
        await using var connection = await server.OpenRawAsync();

        await connection.SendFrameAsync("""{"op":"exec","id":3,"command":"cat; echo done"}""");
        var (parts, final) = await ReadToEndAsync(connection, 3);

        Assert.Equal([("stdout", "done\n")], parts);
        Assert.Equal(0, final.ExitCode);
    }

    [Fact]
    public async Task A_request_fed_one_byte_at_a_time_runs_the_same()
    {
        await using var server = await ExecServer.StartAsync();
        await using var connection = await server.OpenRawAsync();

        foreach (byte b in RawFrame.Build("""{"op":"exec","id":3,"command":"tr a-z A-Z","data_size":5}""", "hello"u8.ToArray()))
        {
            await connection.SendAsync(new[] { b });
        }

        var (parts, final) = await ReadToEndAsync(connection, 3);
        Assert.Equal([("stdout", "HELLO")], parts);
        Assert.Equal(0, final.ExitCode);
    }
}
