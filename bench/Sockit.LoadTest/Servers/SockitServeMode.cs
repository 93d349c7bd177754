using System.Globalization;
using Microsoft.Extensions.Logging;
using Sockit.Server.Hosting;

namespace Sockit.LoadTest.Servers;

/// <summary><c>--serve-sockit</c>: the real server on an ephemeral loopback port, in its own process and GC.</summary>
internal static class SockitServeMode
{
    /// <summary>The certificate and key files <c>--serve-sockit-tls</c> presents, named by the parent.</summary>
    public const string CertificateVariable = "SOCKIT_BENCH_CERT";

    /// <inheritdoc cref="CertificateVariable"/>
    public const string KeyVariable = "SOCKIT_BENCH_KEY";

    /// <param name="tls">Also listen on a TLS endpoint (reported as <c>tls_port=</c> before <c>port=</c>).</param>
    public static async Task<int> RunAsync(bool tls = false)
    {
        var server = SockitServer.Create(new SockitServerSettings
        {
            Listen = tls ? ["framed=tcp://127.0.0.1:0", "framed=tls://127.0.0.1:0"] : ["framed=tcp://127.0.0.1:0"],
            UseEnvironment = false,
            LogLevel = LogLevel.Warning,
            Overrides = new Dictionary<string, string?>
            {
                // The idle test holds tens of thousands of connections from one address; the server still lowers the
                // limit to what its open-file limit allows.
                ["Sockit:MaxConnections"] = (1_000_000).ToString(CultureInfo.InvariantCulture),
                ["Sockit:MaxConnectionsPerAddress"] = "0",
                ["Sockit:Tls:CertificateFile"] = Environment.GetEnvironmentVariable(CertificateVariable),
                ["Sockit:Tls:KeyFile"] = Environment.GetEnvironmentVariable(KeyVariable),
            },
        });
        await using (server.ConfigureAwait(false))
        {
            await server.StartAsync().ConfigureAwait(false);
            foreach (var endpoint in server.Endpoints.Where(endpoint => endpoint.Address.Scheme == Sockit.Protocol.Addressing.AddressScheme.Tls))
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tls_port={endpoint.Address.Port}"));
            }

            ParentLink.ReportPort(server.Endpoints.First(endpoint => endpoint.Address.Scheme == Sockit.Protocol.Addressing.AddressScheme.Tcp).Address.Port);
            ParentLink.ServeUntilClosed();
            await server.StopAsync().ConfigureAwait(false);
        }

        return 0;
    }
}
