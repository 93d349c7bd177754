using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Addressing;
using Sockit.Server.Hosting;

namespace Sockit.IntegrationTests.Framed;

/// <summary>The framed protocol over every stream transport the server offers.</summary>
public sealed class TransportTests
{
    [Fact]
    public async Task Framed_protocol_is_served_over_ipv6_loopback()
    {
        await using var server = await TestServer.StartAsync(listen: ["framed=tcp://[::1]:0"]);
        var endpoint = Assert.Single(server.Server.Endpoints);

        Assert.Equal("::1", endpoint.Address.Host);
        await using var connection = await FrameConnection.OpenAsync(endpoint.Address);
        await BadInputTests.AssertServesEchoAsync(connection);
    }

    [Fact]
    public async Task Framed_protocol_is_served_over_a_unix_socket_and_a_stale_socket_file_is_replaced()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sockit-test-{Guid.NewGuid():N}.sock");
        try
        {
            for (int run = 0; run < 2; run++)
            {
                await using var server = await TestServer.StartAsync(listen: [$"framed=unix:{path}"]);
                Assert.Equal(ServiceKind.Framed, Assert.Single(server.Server.Endpoints).Service);
                await using var connection = await FrameConnection.OpenAsync(SockitAddress.Parse("unix:" + path));
                await BadInputTests.AssertServesEchoAsync(connection);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_regular_file_at_the_socket_path_is_left_alone_and_reported()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sockit-test-{Guid.NewGuid():N}.sock");
        await File.WriteAllTextAsync(path, "");
        try
        {
            var failure = await Assert.ThrowsAsync<Sockit.Protocol.Errors.SockitException>(
                () => TestServer.StartAsync(listen: [$"framed=unix:{path}"]));

            Assert.Contains("not a socket", failure.Message, StringComparison.Ordinal);
            Assert.True(File.Exists(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
