using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sockit.Server.Tls;

namespace Sockit.Server.Hosting;

// TLS endpoints: Kestrel's TLS middleware in front of the same connection handlers plain TCP uses.
public sealed partial class SockitServer
{
    /// <summary>TLS 1.2 at the least; the OS picks 1.3 when both ends have it.</summary>
    internal const SslProtocols TlsProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private const string HandshakeDone = "sockit.tls.handshake";

    /// <summary>Where relative certificate paths start: the config file's folder, else the current folder.</summary>
    private static string TlsBaseDirectory(SockitServerSettings settings) =>
        settings.ConfigFile is { } file
            ? Path.GetDirectoryName(Path.GetFullPath(file))!
            : Directory.GetCurrentDirectory();

    private static void UseTls(ListenOptions listen, string endpoint, X509Certificate2 certificate, SockitServerOptions options)
    {
        var logger = listen.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Sockit.Server.Tls");

        // Kestrel swallows a failed handshake; a mark set past the handshake tells the outer step whether it happened.
        listen.Use(next => async connection =>
        {
            await next(connection).ConfigureAwait(false);
            if (!connection.Items.ContainsKey(HandshakeDone))
            {
                TlsLog.HandshakeFailed(logger, endpoint);
            }
        });
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificate,
            SslProtocols = TlsProtocols,
            ClientCertificateMode = ClientCertificateMode.NoCertificate,
            HandshakeTimeout = options.HeaderTimeout,
        });
        listen.Use(next => connection =>
        {
            connection.Items[HandshakeDone] = true;
            return next(connection);
        });
    }
}
