using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Sockit.LoadTest.Servers;

/// <summary>
/// <c>--serve-raw</c>: baseline (a), Kestrel with nothing but <see cref="RawEchoConnectionHandler"/>. It is
/// hosted the way the Sockit server is (empty builder, Kestrel core, no HTTP), so the difference between the
/// two is the framed protocol, not the host.
/// </summary>
internal static class RawServeMode
{
    public static async Task<int> RunAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "raw-echo" });
        builder.WebHost.UseKestrelCore();
        ListenOptions? listen = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, options =>
            {
                listen = options;
                options.UseConnectionHandler<RawEchoConnectionHandler>();
            });
        });

        var app = builder.Build();
        await using (app.ConfigureAwait(false))
        {
            await app.StartAsync().ConfigureAwait(false);
            ParentLink.ReportPort(((IPEndPoint)listen!.EndPoint).Port);
            ParentLink.ServeUntilClosed();
            await app.StopAsync().ConfigureAwait(false);
        }

        return 0;
    }
}
