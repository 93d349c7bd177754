using Sockit.IntegrationTests.Files;
using Sockit.IntegrationTests.Framed;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Sessions;
using Sockit.Protocol.Addressing;

namespace Sockit.IntegrationTests.Cli;

/// <summary>
/// <c>sockit serve</c> under a low open-file limit: it must fit its connection limit under the descriptors it has, refuse
/// the rest with <c>server_busy</c> and keep serving, rather than hang or die once accept fails.
/// </summary>
public sealed class DescriptorLimitProcessTests
{
    private const int OpenFileLimit = 256;

    [Fact]
    public async Task Under_a_low_open_file_limit_the_server_lowers_its_connection_limit_refuses_the_rest_and_keeps_serving()
    {
        await using var server = await ServeUnderLimitAsync("--set", "Sockit:MaxConnectionsPerAddress=0");
        var framed = server.Endpoint("Framed", AddressScheme.Tcp);

        // The log goes to standard error, which may arrive after standard output's "ready".
        await server.WaitForErrorAsync("kept free");
        var limit = int.Parse(
            System.Text.RegularExpressions.Regex.Match(server.Error, @"Connection limit (\d+)").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(limit, 1, OpenFileLimit - 64);

        // Well past both the connection limit and what the process could hold.
        var connections = new List<FrameConnection>();
        var refused = 0;
        try
        {
            for (int i = 0; i < OpenFileLimit + 50; i++)
            {
                var connection = await FrameConnection.OpenAsync(framed, readHello: false);
                var (first, _) = await connection.ReadReplyAsync();
                if (first.Error == "server_busy")
                {
                    refused++;
                    await connection.DisposeAsync();
                }
                else
                {
                    Assert.Equal("hello", first.Op);
                    connections.Add(connection);
                }
            }

            Assert.Equal(limit, connections.Count);
            Assert.Equal(OpenFileLimit + 50 - limit, refused);
            await BadInputTests.AssertServesEchoAsync(connections[^1]);

            // A slot given back is a slot served again.
            await connections[0].DisposeAsync();
            connections.RemoveAt(0);
            var again = await OpenWhenFreeAsync(framed);
            connections.Add(again);
            await BadInputTests.AssertServesEchoAsync(again);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }

        Assert.DoesNotContain("Out of memory", server.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", server.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_past_the_descriptors_left_get_server_busy_and_the_server_keeps_serving()
    {
        // Each running command with input holds three socket pairs' ends and a pidfd: a hundred of them cannot fit
        // under this limit. The ones that do not fit must be told the server is full, and must not take the
        // descriptors the connection limit counted on, or the next client waits for a hello that never comes.
        await using var server = await ServeUnderLimitAsync(
            "--set", "Sockit:Auth:AnonymousOps:0=echo", "--set", "Sockit:Auth:AnonymousOps:1=exec",
            "--set", "Sockit:Exec:MaxRunning=200", "--set", "Sockit:Exec:MaxRunningPerUser=200");
        var framed = server.Endpoint("Framed", AddressScheme.Tcp);
        await server.WaitForErrorAsync("Running commands limited to 8 (Sockit:Exec:MaxRunning 200)");
        var connections = new List<FrameConnection>();
        var outcomes = new List<string>();
        try
        {
            for (int c = 0; c < 4; c++)
            {
                var connection = await FrameConnection.OpenAsync(framed);
                connections.Add(connection);
                for (int id = 1; id <= 25; id++)
                {
                    // A command that started says so on its stdout; one that could not gets its final reply at once.
                    await connection.SendFrameAsync($$"""{"op":"exec","id":{{id}},"command":"echo started; exec sleep 60","input":true}""");
                    var (frame, _) = await connection.ReadFrameAsync();
                    outcomes.Add(frame.Kind == "part" ? "started" : frame.Error ?? "ok");
                }
            }

            AssertSomeStartedAndTheRestWereBusy(outcomes);
        }
        finally
        {
            foreach (var connection in connections)
            {
                // A reset: the connection broke, so its commands are ended (a FIN would let them run on, as after a
                // half-close).
                connection.Socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);
                await connection.DisposeAsync();
            }
        }

        // The commands end with their connections; the descriptors come back and a newcomer is served.
        await using var newcomer = await OpenWhenFreeAsync(framed);
        await newcomer.SendFrameAsync("""{"op":"echo","id":1,"upper":true,"data_size":4}""", "here"u8.ToArray());
        var (echo, echoed) = await newcomer.ReadFrameAsync();
        Assert.Equal((true, null, "HERE"), (echo.Ok, echo.Error, System.Text.Encoding.ASCII.GetString(echoed)));

        // The closed connections' commands are being ended (SIGTERM, then reaped): until then the slots stay taken.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        for (int id = 2; ; id++)
        {
            await newcomer.SendFrameAsync($$"""{"op":"exec","id":{{id}},"command":"echo again"}""");
            var (frame, body) = await newcomer.ReadFrameAsync();
            if (frame.Kind == "part")
            {
                Assert.Equal("again\n", System.Text.Encoding.ASCII.GetString(body));
                break;
            }

            Assert.Equal("server_busy", frame.Error);
            await Task.Delay(50, patience.Token);
        }

        Assert.DoesNotContain("Unhandled", server.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Downloads_past_the_descriptors_left_get_server_busy_and_the_server_keeps_serving()
    {
        // Each download a client does not read holds its home and its file open: 180 of them cannot fit under
        // this limit, and must not take the descriptors the connection limit counted on.
        var state = Directory.CreateTempSubdirectory("sockit-fds-");
        try
        {
            var users = Path.Combine(state.FullName, "users.json");
            new Sockit.Server.Accounts.UserStore(users).Add(FilesServer.User, FilesServer.Password, Sockit.Server.Accounts.Permissions.Files);
            await using var server = await ServeUnderLimitAsync(
                "--set", $"Sockit:Auth:UsersFile={users}", "--set", "Sockit:Auth:LocalLogin=false",
                "--set", $"Sockit:Files:DataRoot={Path.Combine(state.FullName, "homes")}");
            var framed = server.Endpoint("Framed", AddressScheme.Tcp);
            var outcomes = new List<string>();
            var connections = new List<FrameConnection>();
            try
            {
                for (int c = 0; c < 6; c++)
                {
                    var connection = await FrameConnection.OpenAsync(framed);
                    connections.Add(connection);
                    Assert.True((await connection.LoginWithPasswordAsync(FilesServer.User, FilesServer.Password)).Ok);
                    if (c == 0)
                    {
                        var content = new byte[200_000];
                        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
                        await connection.SendFrameAsync($$"""{"op":"put","id":100,"path":"/big.bin","size":{{content.Length}},"sha256":"{{sha256}}","data_size":{{content.Length}}}""", content);
                        var (put, _) = await connection.ReadFrameAsync();
                        Assert.Equal((true, null, null), (put.Ok, put.Error, put.Message));
                    }

                    for (int id = 1; id <= 30; id++)
                    {
                        // A download that started sends its first part; its second fills the window and it waits.
                        await connection.SendFrameAsync($$"""{"op":"get","id":{{id}},"path":"/big.bin","window":65536}""");
                        WireFrame frame;
                        do
                        {
                            (frame, _) = await connection.ReadFrameAsync();
                        }
                        while (frame.Id != id);

                        outcomes.Add(frame.Kind == "part" ? "started" : frame.Error ?? "ok");
                    }
                }

                AssertSomeStartedAndTheRestWereBusy(outcomes);
            }
            finally
            {
                foreach (var connection in connections)
                {
                    await connection.DisposeAsync();
                }
            }

            await using var newcomer = await OpenWhenFreeAsync(framed);
            Assert.True((await newcomer.LoginWithPasswordAsync(FilesServer.User, FilesServer.Password)).Ok);
            await newcomer.SendFrameAsync("""{"op":"stat","id":1,"path":"/big.bin"}""");
            Assert.Equal(true, (await newcomer.ReadFrameAsync()).Header.Ok);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    /// <summary>What the server must tell requests past a limit: it is full, never that they were wrong.</summary>
    private static void AssertSomeStartedAndTheRestWereBusy(List<string> outcomes)
    {
        Assert.Contains("started", outcomes);
        Assert.Contains("server_busy", outcomes);
        Assert.All(outcomes, outcome => Assert.True(outcome is "started" or "server_busy", outcome));
    }

    /// <summary>Starts <c>sockit serve</c> on an ephemeral framed port under <see cref="OpenFileLimit"/>.</summary>
    private static Task<SockitProcess> ServeUnderLimitAsync(params string[] settings)
    {
        var start = SockitProcess.StartInfo(["serve", "--listen", "framed=tcp://127.0.0.1:0", .. settings]);
        start.ArgumentList.Insert(0, start.FileName);
        start.ArgumentList.Insert(0, $"--nofile={OpenFileLimit}:{OpenFileLimit}");
        start.FileName = "prlimit";
        return SockitProcess.ServeAsync(start);
    }

    private static async Task<FrameConnection> OpenWhenFreeAsync(SockitAddress framed)
    {
        // The server frees the slot when it notices the close, which may come just after this client's next try.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var connection = await FrameConnection.OpenAsync(framed, readHello: false);
            var (first, _) = await connection.ReadReplyAsync();
            if (first.Op == "hello")
            {
                return connection;
            }

            await connection.DisposeAsync();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }
}
