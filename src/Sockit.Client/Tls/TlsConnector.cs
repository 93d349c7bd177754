using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;

namespace Sockit.Client.Tls;

/// <summary>Wraps a connected stream in TLS and decides whether to trust the server, before a byte of the protocol.</summary>
internal static class TlsConnector
{
    /// <summary>TLS 1.2 at the least; the OS picks 1.3 when both ends have it.</summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// Runs the handshake on <paramref name="network"/> (which the result owns) within <paramref name="deadline"/>.
    /// A question to the user about an unknown certificate stops the clock: people take longer than handshakes.
    /// </summary>
    public static async Task<SslStream> AuthenticateAsync(
        Stream network, SockitAddress address, string peer, SockitClientOptions options, CancellationTokenSource deadline)
    {
        var tls = options.Tls;
        var verifier = new ServerCertificateVerifier(tls, address, DateTimeOffset.UtcNow);
        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(ClientOptions(tls, address, verifier), deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw verifier.Refusal ?? new SockitConnectionException(
                SockitErrorCode.TlsFailed,
                $"{peer} did not complete a TLS handshake ({ex.Message.TrimEnd('.')}); is it serving TLS?",
                ex);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (verifier.Unknown is { } unknown)
        {
            try
            {
                Remember(unknown, verifier.Fingerprint!, options, deadline);
            }
            catch
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return ssl;
    }

    private static SslClientAuthenticationOptions ClientOptions(SockitTlsOptions tls, SockitAddress address, ServerCertificateVerifier verifier)
    {
        var revocation = tls.CheckRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        var client = new SslClientAuthenticationOptions
        {
            TargetHost = tls.ServerName ?? address.Host,
            EnabledSslProtocols = Protocols,
            CertificateRevocationCheckMode = revocation,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => verifier.Verify(certificate, chain, errors),
        };
        if (tls.TrustedRoots is { } roots)
        {
            client.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = revocation };
            client.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        return client;
    }

    private static void Remember(ServerCertificateInfo unknown, byte[] fingerprint, SockitClientOptions options, CancellationTokenSource deadline)
    {
        if (!options.Tls.AcceptNew)
        {
            deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            bool trusted = options.Tls.OnUnknownCertificate!(unknown);
            if (options.ConnectTimeout != Timeout.InfiniteTimeSpan)
            {
                deadline.CancelAfter(options.ConnectTimeout);
            }

            if (!trusted)
            {
                throw new SockitConnectionException(
                    SockitErrorCode.CertificateUntrusted,
                    $"the certificate of {unknown.HostPort} (SHA-256 {unknown.Fingerprint}) was not trusted; nothing was sent");
            }
        }

        new KnownHostsFile(unknown.KnownHostsFile).Add(unknown.HostPort, fingerprint);
    }
}
