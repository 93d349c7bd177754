using System.Security.Cryptography;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Addressing;

namespace Sockit.IntegrationTests.Tutorials;

/// <summary><c>sockit serve --legacy-upload ADDRESS [--legacy-upload-key-file FILE]</c> as an operator types it.</summary>
public sealed class ServeLegacyUploadProcessTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sockit-legacy-upload-cli-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Serve_lists_the_upload_listener_checks_clients_with_the_key_from_the_file_and_stores_in_the_folder()
    {
        var keyFile = Path.Combine(_folder.FullName, "upload.key");
        var uploads = Path.Combine(_folder.FullName, "uploads");
        await File.WriteAllTextAsync(keyFile, "linhaifeng bang bang bang\n");
        await using var server = await SockitProcess.ServeAsync(
        [
            "--listen", "framed=tcp://127.0.0.1:0", "--legacy-upload", "tcp://127.0.0.1:0", "--legacy-upload-key-file", keyFile,
            "--set", $"Sockit:Files:Legacy:Folder={uploads}",
        ]);
        var address = server.Endpoint("LegacyUpload", AddressScheme.Tcp);
        await using var client = await LegacyClient.ConnectAsync(address);
        var file = "from the cli"u8.ToArray();

        var nonce = await client.ReceiveAsync(32);
        await client.SendAsync(CryptographicOperations.HmacData(HashAlgorithmName.MD5, "linhaifeng bang bang bang"u8, nonce));
        await client.UploadAsync("cli.txt", file);
        client.EndSending();

        Assert.Null(await client.ReadReplyOrEndAsync());
        Assert.Equal(file, await File.ReadAllBytesAsync(Path.Combine(uploads, "cli.txt")));
        await server.WaitForErrorAsync($"Legacy upload listener on {address} (clients must pass the HMAC-MD5 challenge); files go to {uploads}");
        await server.WaitForErrorAsync("legacy upload stored: remote=127.0.0.1:");
    }

    [Fact]
    public async Task Serve_refuses_an_upload_listener_off_loopback_without_a_key_in_one_line()
    {
        var (exit, output, error) = await SockitProcess.RunAsync("serve", "--listen", "framed=tcp://127.0.0.1:0", "--legacy-upload", "tcp://0.0.0.0:0");

        Assert.NotEqual(0, exit);
        Assert.Empty(output);
        Assert.StartsWith("sockit: cannot listen on tcp://0.0.0.0:0: the legacy upload listener's clients cannot log in", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task An_empty_key_file_is_refused_naming_its_option()
    {
        var keyFile = Path.Combine(_folder.FullName, "empty.key");
        await File.WriteAllTextAsync(keyFile, "\n", Encoding.UTF8);

        var (exit, _, error) = await SockitProcess.RunAsync(
            "serve", "--listen", "framed=tcp://127.0.0.1:0", "--legacy-upload", "tcp://127.0.0.1:0", "--legacy-upload-key-file", keyFile);

        Assert.NotEqual(0, exit);
        Assert.Contains($"--legacy-upload-key-file: {keyFile} is empty", error, StringComparison.Ordinal);
    }
}
