using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sockit.Client.Tls;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Tls;

namespace Sockit.Client.Tests.Tls;

/// <summary>The order of the trust decision, without a network: validity, pin, system, known hosts.</summary>
public sealed class ServerCertificateVerifierTests : IDisposable
{
    private static readonly SockitAddress Server = SockitAddress.Parse("tls://Example.COM:9443");
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly X509Certificate2 _certificate = CreateCertificate(Now.AddDays(-1), Now.AddDays(1));
    private readonly string _directory = Directory.CreateTempSubdirectory("sockit-verifier-").FullName;

    private string KnownHosts => Path.Combine(_directory, "known_hosts");

    public void Dispose()
    {
        _certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void A_certificate_the_system_trusts_for_the_host_is_accepted()
    {
        var verifier = Verifier(new SockitTlsOptions());

        Assert.True(verifier.Verify(_certificate, null, SslPolicyErrors.None));
        Assert.Null(verifier.Refusal);
    }

    [Fact]
    public void The_pin_overrides_name_and_chain_errors_but_not_the_dates()
    {
        var pinned = new SockitTlsOptions { Fingerprint = CertificateFingerprint.Format(_certificate) };
        using var expired = CreateCertificate(Now.AddDays(-10), Now.AddDays(-1));
        var forExpired = Verifier(pinned with { Fingerprint = CertificateFingerprint.Format(expired) });

        Assert.True(Verifier(pinned).Verify(_certificate, null, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(forExpired.Verify(expired, null, SslPolicyErrors.None));
        Assert.Equal(SockitErrorCode.CertificateExpired, forExpired.Refusal?.Code);
        Assert.Contains("expired on 2030-05-31", forExpired.Refusal?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_host_is_accepted_only_for_confirmation_and_is_keyed_by_lower_case_host_and_port()
    {
        var verifier = Verifier(new SockitTlsOptions { KnownHostsFile = KnownHosts, AcceptNew = true });

        Assert.True(verifier.Verify(_certificate, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Equal("example.com:9443", verifier.Unknown?.HostPort);
        Assert.False(File.Exists(KnownHosts));
    }

    [Fact]
    public void A_known_host_with_its_remembered_certificate_is_accepted_and_any_other_is_changed()
    {
        using var other = CreateCertificate(Now.AddDays(-1), Now.AddDays(1));
        new KnownHostsFile(KnownHosts).Add("example.com:9443", CertificateFingerprint.Compute(_certificate));
        var options = new SockitTlsOptions { KnownHostsFile = KnownHosts };
        var changed = Verifier(options);

        Assert.True(Verifier(options).Verify(_certificate, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(changed.Verify(other, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Equal(SockitErrorCode.CertificateChanged, changed.Refusal?.Code);
    }

    [Fact]
    public void A_name_mismatch_without_pin_or_known_hosts_is_refused_saying_which_names_the_certificate_has()
    {
        var verifier = Verifier(new SockitTlsOptions());

        Assert.False(verifier.Verify(_certificate, null, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.Equal(SockitErrorCode.CertificateUntrusted, verifier.Refusal?.Code);
        Assert.Contains("the host name does not match: it is for other.example", verifier.Refusal?.Message, StringComparison.Ordinal);
    }

    private static ServerCertificateVerifier Verifier(SockitTlsOptions options) => new(options, Server, Now);

    private static X509Certificate2 CreateCertificate(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=other.example", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("other.example");
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(notBefore, notAfter);
    }
}
