using Sockit.Protocol.Tls;
using Sockit.Server.Hosting;
using Sockit.Server.Tls;

namespace Sockit.Cli.Tests.Commands.Tls;

/// <summary><c>sockit echo</c> against a real TLS server, with every way of trusting it.</summary>
public sealed class TlsEchoCommandTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sockit-cli-tls-").FullName;
    private SockitServer? _server;
    private string _fingerprint = "";

    private string Address => _server!.Endpoints[0].Address.ToString();

    private string HostPort => _server!.Endpoints[0].Address.HostPort;

    private string KnownHosts => Path.Combine(_directory, "config", "sockit", "known_hosts");

    private Dictionary<string, string> Environment => new() { ["XDG_CONFIG_HOME"] = Path.Combine(_directory, "config") };

    public async Task InitializeAsync()
    {
        using (var certificate = SelfSignedCertificate.Create(["127.0.0.1"], 1))
        {
            SelfSignedCertificate.WritePem(certificate, Path.Combine(_directory, "server.crt"), Path.Combine(_directory, "server.key"), overwrite: false);
            _fingerprint = CertificateFingerprint.Format(certificate);
        }

        _server = SockitServer.Create(new SockitServerSettings
        {
            UseEnvironment = false,
            ConfigureLogging = _ => { },
            Listen = ["framed=tls://127.0.0.1:0"],
            Overrides = new Dictionary<string, string?>
            {
                ["Sockit:Tls:CertificateFile"] = Path.Combine(_directory, "server.crt"),
                ["Sockit:Tls:KeyFile"] = Path.Combine(_directory, "server.key"),

                // Accounts and the local login key stay in the test's folder, not the user's home.
                ["Sockit:Auth:UsersFile"] = Path.Combine(_directory, "users.json"),
                ["Sockit:Auth:LocalCredentialsFile"] = Path.Combine(_directory, "local-credentials.json"),
            },
        });
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server!.StopAsync();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Echo_over_tls_with_a_pinned_fingerprint_works()
    {
        var result = await CliHarness.RunAsync(["echo", "--server", Address, "--fingerprint", _fingerprint, "secret", "hello"], environment: Environment);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("secret hello\n", result.Output);
        Assert.False(File.Exists(KnownHosts));
    }

    [Fact]
    public async Task Without_a_terminal_an_unknown_server_is_refused_in_one_line_and_not_remembered()
    {
        var result = await CliHarness.RunAsync(["echo", "--server", Address, "hi"], environment: Environment);

        var line = result.AssertOneLineFailure(ExitCode.TlsFailed);
        Assert.Contains(_fingerprint, line, StringComparison.Ordinal);
        Assert.Contains("--accept-new", line, StringComparison.Ordinal);
        Assert.False(File.Exists(KnownHosts));
    }

    [Fact]
    public async Task Accept_new_remembers_the_server_in_the_config_folder_for_next_time()
    {
        var first = await CliHarness.RunAsync(["echo", "--server", Address, "--accept-new", "one"], environment: Environment);
        var second = await CliHarness.RunAsync(["echo", "--server", Address, "two"], environment: Environment);

        Assert.Equal("one\n", first.Output);
        Assert.Equal("two\n", second.Output);
        Assert.Equal($"{HostPort} {_fingerprint}\n", await File.ReadAllTextAsync(KnownHosts));
    }

    [Fact]
    public async Task At_a_terminal_the_user_is_shown_the_fingerprint_and_asked()
    {
        string? question = null;

        var refused = await CliHarness.RunAsync(["echo", "-s", Address, "hi"], environment: Environment, confirm: q => (question = q) is null);
        var accepted = await CliHarness.RunAsync(["echo", "-s", Address, "hi"], environment: Environment, confirm: _ => true);

        Assert.Equal(
            $"The certificate of {HostPort} is not known. SHA-256 fingerprint: {_fingerprint}. Trust it and remember it in {KnownHosts}? [y/N] ",
            question);
        refused.AssertOneLineFailure(ExitCode.TlsFailed);
        Assert.Equal("hi\n", accepted.Output);
        Assert.Single(await File.ReadAllLinesAsync(KnownHosts));
    }

    [Fact]
    public async Task A_changed_certificate_exits_11_with_one_loud_line()
    {
        var knownHosts = Path.Combine(_directory, "known_hosts");
        var old = string.Join(':', Enumerable.Repeat("AB", 32));
        await File.WriteAllTextAsync(knownHosts, $"# servers\n{HostPort} {old}\n");

        var result = await CliHarness.RunAsync(
            ["echo", "-s", Address, "hi", "--accept-new"],
            environment: new Dictionary<string, string> { ["SOCKIT_KNOWN_HOSTS"] = knownHosts });

        var line = result.AssertOneLineFailure(ExitCode.TlsFailed);
        Assert.StartsWith($"sockit: WARNING: the certificate of {HostPort} has CHANGED", line, StringComparison.Ordinal);
        Assert.Contains($"Expected {old}, got {_fingerprint}", line, StringComparison.Ordinal);
        Assert.EndsWith($"remove line 2 of {knownHosts}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_pin_exits_11()
    {
        var result = await CliHarness.RunAsync(["echo", "-s", Address, "hi", "--fingerprint", new string('0', 64)], environment: Environment);

        Assert.Contains("does not match the pinned fingerprint", result.AssertOneLineFailure(ExitCode.TlsFailed), StringComparison.Ordinal);
    }
}
