using System.Globalization;
using Microsoft.Extensions.Logging;
using Sockit.Server.Hosting;

namespace Sockit.LoadTest.Servers;

/// <summary><c>--serve-sockit</c>: the real server on an ephemeral loopback port, in its own process and GC.</summary>
internal static class SockitServeMode
{
    public static async Task<int> RunAsync()
    {
        var server = SockitServer.Create(new SockitServerSettings
        {
            Listen = ["framed=tcp://127.0.0.1:0"],
            UseEnvironment = false,
            LogLevel = LogLevel.Warning,
            Overrides = new Dictionary<string, string?>
            {
                // The idle test holds tens of thousands of connections; the default limit is 20,000.
                ["Sockit:MaxConnections"] = (1_000_000).ToString(CultureInfo.InvariantCulture),
            },
        });
        await using (server.ConfigureAwait(false))
        {
            await server.StartAsync().ConfigureAwait(false);
            ParentLink.ReportPort(server.Endpoints[0].Address.Port);
            ParentLink.ServeUntilClosed();
            await server.StopAsync().ConfigureAwait(false);
        }

        return 0;
    }
}
