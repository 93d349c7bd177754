using System.Security.Cryptography.X509Certificates;
using Sockit.Protocol.Tls;

namespace Sockit.Cli.Tests.Commands.Tls;

public sealed class CertCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sockit-cli-cert-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Cert_writes_a_certificate_for_every_host_and_prints_its_fingerprint_and_the_commands_to_use()
    {
        var result = await CliHarness.RunAsync(["cert", "example.test", "10.0.0.7", "--out", _directory, "--days", "30"]);

        Assert.Equal(0, result.ExitCode);
        var crt = Path.Combine(_directory, "example.test.crt");
        var key = Path.Combine(_directory, "example.test.key");
        using var certificate = X509Certificate2.CreateFromPemFile(crt, key);
        var fingerprint = CertificateFingerprint.Format(certificate);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("CN=example.test", certificate.Subject);
        Assert.InRange(certificate.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddDays(29), DateTime.UtcNow.AddDays(31));
        var names = Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["example.test", "localhost"], names.EnumerateDnsNames());
        Assert.Equal(["10.0.0.7", "127.0.0.1", "::1"], names.EnumerateIPAddresses().Select(ip => ip.ToString()));
        Assert.Contains("SHA-256      " + fingerprint, result.Output, StringComparison.Ordinal);
        Assert.Contains($"sockit serve --listen framed=tls://0.0.0.0:9443 --cert {crt} --key {key}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"sockit echo --server tls://example.test:9443 --fingerprint {fingerprint} hello", result.Output, StringComparison.Ordinal);
        Assert.Contains($"sockit echo --server tls://localhost:9443 --fingerprint {fingerprint} hello    (on this machine)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_loopback_leaves_the_certificate_to_the_names_given_and_loopback_names_are_not_repeated()
    {
        var only = await CliHarness.RunAsync(["cert", "example.test", "--no-loopback", "--out", _directory]);
        var repeated = await CliHarness.RunAsync(["cert", "[::1]", "LOCALHOST", "--out", _directory]);

        Assert.Equal((0, 0), (only.ExitCode, repeated.ExitCode));
        using (var certificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_directory, "example.test.crt")))
        {
            var names = Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
            Assert.Equal(["example.test"], names.EnumerateDnsNames());
            Assert.Empty(names.EnumerateIPAddresses());
        }

        Assert.DoesNotContain("(on this machine)", only.Output, StringComparison.Ordinal);
        Assert.Contains("names        [::1], LOCALHOST, 127.0.0.1\n", repeated.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_out_folder_that_is_a_file_or_cannot_be_created_is_one_usage_error_line()
    {
        var file = Path.Combine(_directory, "taken");
        await File.WriteAllTextAsync(file, "not a folder");

        var onFile = await CliHarness.RunAsync(["cert", "localhost", "--out", file]);
        var underFile = await CliHarness.RunAsync(["cert", "localhost", "--out", Path.Combine(file, "certs")]);

        Assert.Equal($"sockit: --out {file} is a file; name a folder", onFile.AssertOneLineFailure(ExitCode.Usage));
        Assert.StartsWith(
            $"sockit: cannot write the certificate to {Path.Combine(file, "certs")}: ",
            underFile.AssertOneLineFailure(ExitCode.Usage),
            StringComparison.Ordinal);
        Assert.Equal(["taken"], Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Cert_refuses_to_overwrite_without_force()
    {
        var first = await CliHarness.RunAsync(["cert", "localhost", "--out", _directory]);
        var before = await File.ReadAllTextAsync(Path.Combine(_directory, "localhost.key"));

        var second = await CliHarness.RunAsync(["cert", "localhost", "--out", _directory]);
        Assert.Contains("--force", second.AssertOneLineFailure(ExitCode.Usage), StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(_directory, "localhost.key")));

        var forced = await CliHarness.RunAsync(["cert", "localhost", "--out", _directory, "--force"]);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, forced.ExitCode);
        Assert.NotEqual(before, await File.ReadAllTextAsync(Path.Combine(_directory, "localhost.key")));
        Assert.Contains("framed=tls://127.0.0.1:9443", forced.Output, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_key_is_readable_by_its_owner_only_even_when_it_replaces_a_looser_file()
    {
        var key = Path.Combine(_directory, "localhost.key");
        await File.WriteAllTextAsync(key, "old");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = await CliHarness.RunAsync(["cert", "localhost", "--out", _directory, "--force"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Equal(["localhost.crt", "localhost.key"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("not a host!")]
    [InlineData("--days", "0")]
    public async Task Bad_hosts_and_days_are_usage_errors(params string[] args)
    {
        var result = await CliHarness.RunAsync(["cert", .. args.Length == 1 ? args : ["localhost", .. args], "--out", _directory]);

        result.AssertOneLineFailure(ExitCode.Usage);
        Assert.Empty(Directory.GetFiles(_directory));
    }
}
