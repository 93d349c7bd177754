using System.Security.Cryptography;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Tutorials;
using Sockit.Protocol.Addressing;

namespace Sockit.IntegrationTests.Cli;

/// <summary><c>sockit serve --legacy-exec ADDRESS [--legacy-exec-key-file FILE]</c> as an operator types it.</summary>
public sealed class ServeLegacyExecProcessTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sockit-legacy-cli-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Serve_lists_the_legacy_listener_and_checks_clients_with_the_key_from_the_file()
    {
        // As an editor saves it: the key's text and a final newline, which is not part of the key.
        var keyFile = Path.Combine(_folder.FullName, "legacy.key");
        await File.WriteAllTextAsync(keyFile, "linhaifeng bang bang bang\n");
        await using var server = await SockitProcess.ServeAsync(
            ["--listen", "framed=tcp://127.0.0.1:0", "--legacy-exec", "tcp://127.0.0.1:0", "--legacy-exec-key-file", keyFile]);
        var address = server.Endpoint("LegacyExec", AddressScheme.Tcp);
        await using var client = await LegacyClient.ConnectAsync(address);

        var nonce = await client.ReceiveAsync(32);
        await client.SendAsync(CryptographicOperations.HmacData(HashAlgorithmName.MD5, "linhaifeng bang bang bang"u8, nonce));

        Assert.Equal("from the cli\n", await client.RunTextAsync("echo from the cli"));
        Assert.Contains($"Legacy command listener on {address} (clients must pass the HMAC-MD5 challenge)", server.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_refuses_a_legacy_listener_off_loopback_without_a_key_in_one_line()
    {
        var (exit, output, error) = await SockitProcess.RunAsync("serve", "--listen", "framed=tcp://127.0.0.1:0", "--legacy-exec", "tcp://0.0.0.0:0");

        Assert.NotEqual(0, exit);
        Assert.Empty(output);
        Assert.StartsWith("sockit: cannot listen on tcp://0.0.0.0:0: the legacy command listener's clients cannot log in", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task An_empty_key_file_is_refused()
    {
        var keyFile = Path.Combine(_folder.FullName, "empty.key");
        await File.WriteAllTextAsync(keyFile, "\n");

        var (exit, _, error) = await SockitProcess.RunAsync(
            "serve", "--listen", "framed=tcp://127.0.0.1:0", "--legacy-exec", "tcp://127.0.0.1:0", "--legacy-exec-key-file", keyFile);

        Assert.NotEqual(0, exit);
        Assert.Contains($"--legacy-exec-key-file: {keyFile} is empty", error, StringComparison.Ordinal);
    }
}
