using Sockit.Client;
using Sockit.Client.Tls;
using Sockit.Protocol.Errors;

namespace Sockit.IntegrationTests.Tls;

/// <summary>How the client decides to trust a TLS server: pins, known hosts, validity dates, host names.</summary>
public sealed class TlsTrustTests : IDisposable
{
    private readonly TlsFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_pinned_fingerprint_connects_and_echoes()
    {
        var certificate = _files.Create("server", ["localhost"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        await using var client = await SockitClient.ConnectAsync(server.Tls, Options(new() { Fingerprint = certificate.Fingerprint }));

        Assert.Equal("HELLO", await client.EchoAsync("hello", upper: true));
        Assert.Equal("tls", server.Tls.Scheme.ToString().ToLowerInvariant());
    }

    [Fact]
    public async Task A_pin_in_lower_case_without_colons_works_too()
    {
        var certificate = _files.Create("server", ["localhost"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);
        var pin = certificate.Fingerprint.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();

        await using var client = await SockitClient.ConnectAsync(server.Tls, Options(new() { Fingerprint = pin }));

        Assert.Equal("hi", await client.EchoAsync("hi"));
    }

    [Fact]
    public async Task A_wrong_pin_is_refused_naming_both_fingerprints()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        var other = _files.Create("other", ["127.0.0.1"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        var refused = await Assert.ThrowsAsync<SockitConnectionException>(
            () => SockitClient.ConnectAsync(server.Tls, Options(new() { Fingerprint = other.Fingerprint })));

        Assert.Equal(SockitErrorCode.CertificateUntrusted, refused.Code);
        Assert.Contains("expected " + other.Fingerprint, refused.Message, StringComparison.Ordinal);
        Assert.Contains("got " + certificate.Fingerprint, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_certificate_is_refused_with_its_fingerprint_and_nothing_is_remembered()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        var refused = await Assert.ThrowsAsync<SockitConnectionException>(
            () => SockitClient.ConnectAsync(server.Tls, Options(new() { KnownHostsFile = _files.KnownHosts })));

        Assert.Equal(SockitErrorCode.CertificateUntrusted, refused.Code);
        Assert.Contains(certificate.Fingerprint, refused.Message, StringComparison.Ordinal);
        Assert.Contains("--accept-new", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_files.KnownHosts));
    }

    [Fact]
    public async Task Accept_new_remembers_the_server_and_the_next_connection_needs_no_acceptance()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        await using (var first = await SockitClient.ConnectAsync(server.Tls, Options(new() { KnownHostsFile = _files.KnownHosts, AcceptNew = true })))
        {
            Assert.Equal("one", await first.EchoAsync("one"));
        }

        Assert.Equal($"127.0.0.1:{server.Tls.Port} {certificate.Fingerprint}\n", await File.ReadAllTextAsync(_files.KnownHosts));
        await using var second = await SockitClient.ConnectAsync(server.Tls, Options(new() { KnownHostsFile = _files.KnownHosts }));
        Assert.Equal("two", await second.EchoAsync("two"));
    }

    [Fact]
    public async Task The_callback_is_asked_about_an_unknown_server_and_a_no_leaves_the_file_alone()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);
        ServerCertificateInfo? asked = null;

        var refused = await Assert.ThrowsAsync<SockitConnectionException>(() => SockitClient.ConnectAsync(
            server.Tls,
            Options(new() { KnownHostsFile = _files.KnownHosts, OnUnknownCertificate = info => (asked = info) is null })));

        Assert.Equal(SockitErrorCode.CertificateUntrusted, refused.Code);
        Assert.Equal(certificate.Fingerprint, asked?.Fingerprint);
        Assert.Equal($"127.0.0.1:{server.Tls.Port}", asked?.HostPort);
        Assert.False(File.Exists(_files.KnownHosts));
    }

    [Fact]
    public async Task A_changed_certificate_on_a_known_host_is_refused_loudly()
    {
        var first = _files.Create("first", ["127.0.0.1"]);
        var second = _files.Create("second", ["127.0.0.1"]);
        int port;
        await using (var server = await TlsFiles.StartServerAsync(first))
        {
            port = server.Tls.Port;
            await using var client = await SockitClient.ConnectAsync(server.Tls, Options(new() { KnownHostsFile = _files.KnownHosts, AcceptNew = true }));
        }

        await using var restarted = await TlsFiles.StartServerAsync(second, $"framed=tls://127.0.0.1:{port}");
        var refused = await Assert.ThrowsAsync<SockitConnectionException>(() => SockitClient.ConnectAsync(
            restarted.Tls, Options(new() { KnownHostsFile = _files.KnownHosts, AcceptNew = true })));

        Assert.Equal(SockitErrorCode.CertificateChanged, refused.Code);
        Assert.StartsWith("WARNING: the certificate of 127.0.0.1:", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"Expected {first.Fingerprint}, got {second.Fingerprint}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("remove line 1 of " + _files.KnownHosts, refused.Message, StringComparison.Ordinal);
        Assert.Single(await File.ReadAllLinesAsync(_files.KnownHosts));
    }

    [Fact]
    public async Task An_expired_certificate_is_refused_even_when_pinned()
    {
        var now = DateTimeOffset.UtcNow;
        var expired = _files.Create("expired", ["127.0.0.1"], now.AddDays(-30), now.AddDays(-1));
        await using var server = await TlsFiles.StartServerAsync(expired);

        var refused = await Assert.ThrowsAsync<SockitConnectionException>(
            () => SockitClient.ConnectAsync(server.Tls, Options(new() { Fingerprint = expired.Fingerprint })));

        Assert.Equal(SockitErrorCode.CertificateExpired, refused.Code);
        Assert.Contains("expired on " + now.AddDays(-1).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
        Assert.Contains(server.Log.Entries, entry => entry.Level == Microsoft.Extensions.Logging.LogLevel.Warning && entry.Message.Contains("expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_certificate_that_is_not_valid_yet_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        var early = _files.Create("early", ["127.0.0.1"], now.AddDays(1), now.AddDays(30));
        await using var server = await TlsFiles.StartServerAsync(early);

        var refused = await Assert.ThrowsAsync<SockitConnectionException>(
            () => SockitClient.ConnectAsync(server.Tls, Options(new() { KnownHostsFile = _files.KnownHosts, AcceptNew = true })));

        Assert.Equal(SockitErrorCode.CertificateExpired, refused.Code);
        Assert.Contains("is not valid until", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_files.KnownHosts));
    }

    [Fact]
    public async Task A_certificate_for_another_host_is_refused_saying_so()
    {
        var certificate = _files.Create("other", ["other.example"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        var refused = await Assert.ThrowsAsync<SockitConnectionException>(() => SockitClient.ConnectAsync(
            server.Tls, Options(new() { TrustedRoots = [certificate.Certificate] })));

        Assert.Equal(SockitErrorCode.CertificateUntrusted, refused.Code);
        Assert.Contains("the host name does not match: it is for other.example", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("issuer", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_for_the_host_from_a_trusted_root_needs_no_pin()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        await using var client = await SockitClient.ConnectAsync(server.Tls, Options(new() { TrustedRoots = [certificate.Certificate] }));

        Assert.Equal("trusted", await client.EchoAsync("trusted"));
    }

    [Fact]
    public async Task A_self_signed_certificate_the_system_does_not_trust_is_refused_without_a_pin()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        var refused = await Assert.ThrowsAsync<SockitConnectionException>(() => SockitClient.ConnectAsync(server.Tls));

        Assert.Equal(SockitErrorCode.CertificateUntrusted, refused.Code);
        Assert.Contains("the system does not trust its issuer", refused.Message, StringComparison.Ordinal);
        Assert.Contains(certificate.Fingerprint, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_name_option_checks_the_certificate_against_another_name()
    {
        var certificate = _files.Create("other", ["other.example"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        await using var client = await SockitClient.ConnectAsync(
            server.Tls, Options(new() { TrustedRoots = [certificate.Certificate], ServerName = "other.example" }));

        Assert.Equal("named", await client.EchoAsync("named"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_known_hosts_file_and_its_folder_are_private_to_their_owner()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        await using var client = await SockitClient.ConnectAsync(server.Tls, Options(new() { KnownHostsFile = _files.KnownHosts, AcceptNew = true }));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_files.KnownHosts));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(_files.KnownHosts)!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(certificate.KeyFile));
    }

    private static SockitClientOptions Options(SockitTlsOptions tls) => new() { Tls = tls };
}
