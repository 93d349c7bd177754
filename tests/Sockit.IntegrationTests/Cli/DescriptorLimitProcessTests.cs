using Sockit.IntegrationTests.Framed;
using Sockit.IntegrationTests.Infrastructure;
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
        var start = SockitProcess.StartInfo(["serve", "--listen", "framed=tcp://127.0.0.1:0", "--set", "Sockit:MaxConnectionsPerAddress=0"]);
        start.ArgumentList.Insert(0, start.FileName);
        start.ArgumentList.Insert(0, $"--nofile={OpenFileLimit}:{OpenFileLimit}");
        start.FileName = "prlimit";
        await using var server = await SockitProcess.ServeAsync(start);
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
