using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.Server.Files.Legacy;
using Sockit.Server.Hosting;

namespace Sockit.IntegrationTests.Tutorials;

/// <summary>
/// The legacy upload listener at the byte level: names that try to leave the folder, files that do not match their
/// header (MD5, size), limits and timeouts, the HMAC challenge, the rule that without a key it listens only where only
/// local clients reach it; then what is stored and how.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LegacyUploadTests : IDisposable
{
    private const string Key = "linhaifeng bang bang bang";

    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("sockit-legacy-upload-test-");

    public void Dispose() => _scratch.Delete(recursive: true);

    private string Folder => Path.Combine(_scratch.FullName, "uploads");

    [Theory]
    [InlineData("../escape.txt", "the name may not contain '/'")]
    [InlineData("/a/b/c/d/e/a.txt", "the name may not contain '/'")]
    [InlineData("sub/a.txt", "the name may not contain '/'")]
    [InlineData("..", "the name may not be '.' or '..'")]
    [InlineData(".", "the name may not be '.' or '..'")]
    [InlineData("", "the name is empty")]
    [InlineData("a\0b", "the name contains the control character U+0000")]
    [InlineData(".a.txt.sockit-part", "the name has the form .NAME.sockit-part")]
    public async Task A_name_that_is_not_one_plain_name_is_refused_and_nothing_is_written_anywhere(string name, string problem)
    {
        Directory.CreateDirectory(Folder);
        await using var server = await StartAsync();
        await using var client = await LegacyClient.ConnectAsync(LegacyUpload(server));

        await client.UploadAsync(name, "pwned"u8.ToArray());

        var reply = await client.ReadReplyOrEndAsync();
        Assert.StartsWith("sockit: invalid_name: file_name '", reply, StringComparison.Ordinal);
        Assert.Contains(problem, reply, StringComparison.Ordinal);
        Assert.True(await client.IsClosedByServerAsync());
        Assert.Equal(["uploads"], Entries(_scratch.FullName));
        Assert.Empty(Entries(Folder));
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.GetTempPath(), "escape.txt"), _ => true);
        Assert.Contains(server.Log.Entries, e => e.Event.Id == 1702 && e.Message.Contains("invalid_name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\\ud800", "d41d8cd98f00b204e9800998ecf8427e", "invalid_name")]
    [InlineData("a.txt", "\\udc00d41d8cd98f00b204e9800998ecf842", "invalid_field")]
    public async Task A_header_string_holding_an_escaped_lone_surrogate_gets_its_line_and_a_clean_close(string name, string md5, string code)
    {
        await using var server = await StartAsync();
        await using var client = await LegacyClient.ConnectAsync(LegacyUpload(server));
        var json = Encoding.UTF8.GetBytes($"{{\"file_name\": \"{name}\", \"file_size\": 0, \"md5\": \"{md5}\"}}");

        await client.SendAsync([.. BitConverter.GetBytes(json.Length), .. json]);

        var reply = await client.ReadReplyOrEndAsync();
        Assert.StartsWith($"sockit: {code}: ", reply, StringComparison.Ordinal);
        Assert.True(await client.IsClosedByServerAsync());
        Assert.Empty(Entries(Folder));
        Assert.Contains(server.Log.Entries, e => e.Event.Id == 1704 && e.Message.Contains(code, StringComparison.Ordinal));
        Assert.DoesNotContain(server.Log.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task A_link_planted_under_the_name_is_replaced_and_what_it_points_to_is_untouched()
    {
        var outside = Path.Combine(_scratch.FullName, "outside.txt");
        await File.WriteAllTextAsync(outside, "precious");
        Directory.CreateDirectory(Folder);
        File.CreateSymbolicLink(Path.Combine(Folder, "a.txt"), outside);
        await using var server = await StartAsync();

        await UploadAndEndAsync(server, "a.txt", "new"u8.ToArray());

        Assert.Equal("precious", await File.ReadAllTextAsync(outside));
        Assert.Null(new FileInfo(Path.Combine(Folder, "a.txt")).LinkTarget);
        Assert.Equal("new", await File.ReadAllTextAsync(Path.Combine(Folder, "a.txt")));
    }

    [Fact]
    public async Task A_file_whose_md5_does_not_match_leaves_no_file_and_no_partial()
    {
        await using var server = await StartAsync();
        await using var client = await LegacyClient.ConnectAsync(LegacyUpload(server));
        var file = "hello"u8.ToArray();

        await client.UploadAsync("a.txt", file, md5: "8f6fbf8347faa4924a76856701edb0f3");

        Assert.Equal(
            "sockit: checksum_mismatch: the file's MD5 is 5d41402abc4b2a76b9719d911017c592, not 8f6fbf8347faa4924a76856701edb0f3 as the header says; nothing was stored\n",
            await client.ReadReplyOrEndAsync());
        Assert.Empty(Entries(Folder));
        var logged = Assert.Single(server.Log.Entries, e => e.Event.Id == 1702);
        Assert.Contains("name=a.txt size=5 md5=8f6fbf8347faa4924a76856701edb0f3 md5_check=failed received=5", logged.Message, StringComparison.Ordinal);
        Assert.Contains("remote=127.0.0.1:", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_size_that_lies_short_of_the_bytes_sent_then_a_close_leaves_no_file()
    {
        await using var server = await StartAsync();
        await using var client = await LegacyClient.ConnectAsync(LegacyUpload(server));

        await client.UploadAsync("a.txt", new byte[1000], body: new byte[10]);
        client.EndSending();

        Assert.Equal(
            "sockit: truncated_frame: the connection closed after 10 of the 1000 bytes of the file; nothing was stored\n",
            await client.ReadReplyOrEndAsync());
        Assert.Empty(Entries(Folder));
        Assert.Contains(server.Log.Entries, e => e.Event.Id == 1702 && e.Message.Contains("received=10: truncated_frame", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_tutorials_1_tb_file_is_refused_past_the_size_limit_before_a_byte_is_stored()
    {
        await using var server = await StartAsync(("Sockit:Files:Legacy:MaxFileSize", "1000"));
        await using var client = await LegacyClient.ConnectAsync(LegacyUpload(server));

        await client.SendAsync(LegacyClient.UploadHeader("a.txt", 1_073_741_824_000, "8f6fbf8347faa4924a76856701edb0f3"));

        Assert.Equal(
            "sockit: body_too_large: file_size 1073741824000 is more than this server takes, 1000 bytes (Sockit:Files:Legacy:MaxFileSize); nothing was stored\n",
            await client.ReadReplyOrEndAsync());
        Assert.True(await client.IsClosedByServerAsync());
        Assert.Empty(Entries(Folder));
    }

    [Fact]
    public async Task An_http_request_a_web_page_could_send_through_a_browser_is_refused_on_its_first_four_bytes()
    {
        await using var server = await StartAsync();
        await using var client = await LegacyClient.ConnectAsync(LegacyUpload(server));

        await client.SendAsync(Encoding.ASCII.GetBytes("POST /a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\npwned"));

        Assert.Equal(
            "sockit: header_too_large: the header length 1414745936 (the text 'POST') is more than 8192 bytes\n",
            await client.ReadReplyOrEndAsync());
        Assert.Empty(Entries(Folder));
        Assert.Contains(server.Log.Entries, e => e.Event.Id == 1704 && e.Message.Contains("header_too_large", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_header_not_complete_within_the_header_timeout_is_refused()
    {
        await using var server = await StartAsync(("Sockit:HeaderTimeout", "00:00:00.300"));
        await using var client = await LegacyClient.ConnectAsync(LegacyUpload(server));

        await client.SendAsync([58, 0]);

        Assert.Equal(
            "sockit: header_timeout: the header was not complete within 0.3 s of its first byte\n", await client.ReadReplyOrEndAsync());
        Assert.Contains(server.Log.Entries, e => e.Event.Id == 1704);
    }

    [Fact]
    public async Task A_second_upload_of_a_name_while_the_first_is_under_way_is_busy_and_the_first_completes()
    {
        await using var server = await StartAsync();
        await using var first = await LegacyClient.ConnectAsync(LegacyUpload(server));
        await using var second = await LegacyClient.ConnectAsync(LegacyUpload(server));
        var file = "0123456789"u8.ToArray();

        // Half of the first file, then wait for it to be written: the first upload holds the name from before then.
        await first.SendAsync([.. LegacyClient.UploadHeader("a.txt", file.Length, LegacyClient.Md5Of(file)), .. file[..5]]);
        await WaitUntilAsync(() => new FileInfo(Path.Combine(Folder, ".a.txt.sockit-part")) is { Exists: true, Length: 5 });
        await second.UploadAsync("a.txt", "other"u8.ToArray());

        Assert.StartsWith("sockit: busy: cannot upload /a.txt: another upload of it is in progress", await second.ReadReplyOrEndAsync(), StringComparison.Ordinal);
        await first.SendAsync(file[5..]);
        first.EndSending();
        Assert.Null(await first.ReadReplyOrEndAsync());
        Assert.Equal(file, await File.ReadAllBytesAsync(Path.Combine(Folder, "a.txt")));
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("sha256")]
    public async Task The_right_hmac_answer_lets_the_upload_in_even_in_the_same_packet(string digest)
    {
        await using var server = await StartAsync(("Sockit:Files:Legacy:HmacKey", Key), ("Sockit:Files:Legacy:HmacDigest", digest));
        await using var client = await LegacyClient.ConnectAsync(LegacyUpload(server));
        var file = "checked"u8.ToArray();

        var nonce = await client.ReceiveAsync(32);
        var answer = CryptographicOperations.HmacData(new HashAlgorithmName(digest.ToUpperInvariant()), Encoding.UTF8.GetBytes(Key), nonce);
        await client.SendAsync([.. answer, .. LegacyClient.UploadHeader("a.txt", file.Length, LegacyClient.Md5Of(file)), .. file]);
        client.EndSending();

        Assert.Null(await client.ReadReplyOrEndAsync());
        Assert.Equal(file, await File.ReadAllBytesAsync(Path.Combine(Folder, "a.txt")));
    }

    [Fact]
    public async Task A_wrong_hmac_answer_is_closed_logged_and_its_upload_never_read()
    {
        await using var server = await StartAsync(("Sockit:Files:Legacy:HmacKey", Key));
        await using var client = await LegacyClient.ConnectAsync(LegacyUpload(server));

        await client.ReceiveAsync(32);
        await client.SendAsync([.. new byte[16], .. LegacyClient.UploadHeader("a.txt", 0, "d41d8cd98f00b204e9800998ecf8427e")]);

        Assert.True(await client.IsClosedByServerAsync());
        Assert.Empty(Entries(Folder));
        var failure = Assert.Single(server.Log.Entries, e => e.Event.Id == 1703);
        Assert.Contains("127.0.0.1:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("wrong answer", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_resets_instead_of_answering_is_logged_as_failing_the_challenge()
    {
        await using var server = await StartAsync(("Sockit:Files:Legacy:HmacKey", Key));
        await using var client = await LegacyClient.ConnectAsync(LegacyUpload(server));

        await client.ReceiveAsync(32);
        client.Reset();

        await WaitUntilAsync(() => server.Log.Entries.Any(e => e.Event.Id == 1703));
        Assert.Contains("reset before an answer", server.Log.Entries.Single(e => e.Event.Id == 1703).Message, StringComparison.Ordinal);
        Assert.Empty(Entries(Folder));
    }

    [Fact]
    public async Task A_non_loopback_address_without_a_key_refuses_to_start()
    {
        var ex = await Assert.ThrowsAsync<SockitException>(() => StartAsync(("Sockit:Files:Legacy:Address", "tcp://0.0.0.0:0")));

        Assert.Equal(SockitErrorCode.InvalidAddress, ex.Code);
        Assert.StartsWith("cannot listen on tcp://0.0.0.0:0: the legacy upload listener's clients cannot log in", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_that_is_a_link_stops_the_server_before_it_listens()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_scratch.FullName, "elsewhere"));
        Directory.CreateSymbolicLink(Folder, elsewhere.FullName);

        var ex = await Assert.ThrowsAsync<SockitException>(() => StartAsync());

        Assert.Equal(SockitErrorCode.OutsideHome, ex.Code);
        Assert.Empty(Entries(elsewhere.FullName));
    }

    [Fact]
    public async Task The_folder_is_made_owner_only_when_the_server_starts()
    {
        await using var server = await StartAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Folder));
        Assert.Empty(Entries(Folder));
    }

    [Fact]
    public async Task A_folder_under_the_files_name_is_refused_and_left_alone()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "a.txt"));
        await using var server = await StartAsync();
        await using var client = await LegacyClient.ConnectAsync(LegacyUpload(server));

        await client.UploadAsync("a.txt", "x"u8.ToArray());

        Assert.Equal("sockit: is_a_folder: cannot upload /a.txt: it is a folder\n", await client.ReadReplyOrEndAsync());
        Assert.True(Directory.Exists(Path.Combine(Folder, "a.txt")));
        Assert.Equal(["a.txt"], Entries(Folder));
    }

    [Theory]
    [InlineData("Sockit:Files:Legacy:HmacDigest", "sha1", "Sockit:Files:Legacy:HmacDigest must be md5 or sha256")]
    [InlineData("Sockit:Files:Legacy:MaxFileSize", "-1", "Sockit:Files:Legacy:MaxFileSize must not be negative")]
    [InlineData("Sockit:Files:Legacy:Folder", "/", "Sockit:Files:Legacy:Folder must be a folder below the root")]
    [InlineData("Sockit:Endpoints:x:Url", "tcp://127.0.0.1:0", "the legacy upload listener is set with Sockit:Files:Legacy:Address")]
    public async Task A_bad_setting_stops_the_server_before_it_starts(string key, string value, string message)
    {
        var ex = await Assert.ThrowsAsync<SockitException>(
            () => TestServer.StartAsync(
                new Dictionary<string, string?> { [key] = value, ["Sockit:Endpoints:x:Service"] = "LegacyUpload" },
                key.StartsWith("Sockit:Endpoints", StringComparison.Ordinal) ? [] : ["framed=tcp://127.0.0.1:0"]));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uploads_follow_one_another_on_a_connection_and_replace_a_file_of_the_same_name()
    {
        Directory.CreateDirectory(Folder);
        await File.WriteAllTextAsync(Path.Combine(Folder, "b.txt"), "old contents, longer than the new");
        await using var server = await StartAsync();
        await using var client = await LegacyClient.ConnectAsync(LegacyUpload(server));

        await client.UploadAsync("a.txt", "first"u8.ToArray());
        await client.UploadAsync("b.txt", "second"u8.ToArray());
        await client.UploadAsync("empty", []);
        client.EndSending();

        // Stored files are not answered: the end of the stream says all were.
        Assert.Null(await client.ReadReplyOrEndAsync());
        Assert.Equal(["a.txt", "b.txt", "empty"], Entries(Folder));
        Assert.Equal("first", await File.ReadAllTextAsync(Path.Combine(Folder, "a.txt")));
        Assert.Equal("second", await File.ReadAllTextAsync(Path.Combine(Folder, "b.txt")));
        Assert.Empty(await File.ReadAllBytesAsync(Path.Combine(Folder, "empty")));
        Assert.Contains(
            server.Log.Entries,
            e => e.Event.Id == 1701 && e.Message.Contains("name=b.txt size=6 md5=a9f0e61a137d86aa9db53465e0801612 md5_check=ok", StringComparison.Ordinal));
        Assert.Equal(3, server.Log.Entries.Count(e => e.Event.Id == 1701));
    }

    [Fact]
    public async Task A_large_file_is_stored_byte_exact_and_owner_only()
    {
        await using var server = await StartAsync();
        var file = RandomNumberGenerator.GetBytes(5_000_000);

        await UploadAndEndAsync(server, "big.bin", file);

        var stored = Path.Combine(Folder, "big.bin");
        Assert.Equal(file, await File.ReadAllBytesAsync(stored));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(stored));
    }

    [Fact]
    public async Task Unicode_names_are_stored_as_sent()
    {
        await using var server = await StartAsync();

        await UploadAndEndAsync(server, "报告 é.txt", "内容"u8.ToArray());

        Assert.Equal("内容", await File.ReadAllTextAsync(Path.Combine(Folder, "报告 é.txt")));
    }

    [Fact]
    public async Task A_name_with_a_bidirectional_override_is_stored_as_sent_and_logged_escaped()
    {
        await using var server = await StartAsync();

        await UploadAndEndAsync(server, "report\u202Efdp.exe", "x"u8.ToArray());

        Assert.True(File.Exists(Path.Combine(Folder, "report\u202Efdp.exe")));
        var stored = Assert.Single(server.Log.Entries, e => e.Event.Id == 1701);
        Assert.Contains("name=report\\u202efdp.exe size=1", stored.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', stored.Message);
    }

    [Fact]
    public async Task Without_a_folder_uploads_go_to_a_folder_in_the_data_root_that_no_account_can_have()
    {
        var dataRoot = Path.Combine(_scratch.FullName, "homes");
        await using var server = await TestServer.StartAsync(
            new Dictionary<string, string?> { ["Sockit:Files:Legacy:Address"] = "tcp://127.0.0.1:0", ["Sockit:Files:DataRoot"] = dataRoot },
            ["framed=tcp://127.0.0.1:0"]);

        await UploadAndEndAsync(server, "a.txt", "x"u8.ToArray());

        Assert.Equal("x", await File.ReadAllTextAsync(Path.Combine(dataRoot, LegacyUploadOptions.DefaultFolderName, "a.txt")));
        Assert.Equal("(legacy-uploads)", LegacyUploadOptions.DefaultFolderName);
        Assert.Contains(
            server.Log.Entries,
            e => e.Event.Id == 1700 && e.Message.EndsWith(
                $"(no HMAC key: clients are not checked, so only local ones can reach it); files go to {Path.Combine(dataRoot, "(legacy-uploads)")}",
                StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_unix_socket_needs_no_key()
    {
        var path = Path.Combine(_scratch.FullName, "upload.sock");
        await using var server = await StartAsync(("Sockit:Files:Legacy:Address", $"unix:{path}"));

        await UploadAndEndAsync(server, "a.txt", "local"u8.ToArray());

        Assert.Equal("local", await File.ReadAllTextAsync(Path.Combine(Folder, "a.txt")));
    }

    /// <summary>The address of the legacy upload listener of <paramref name="server"/>.</summary>
    internal static SockitAddress LegacyUpload(TestServer server) =>
        server.Server.Endpoints.First(e => e.Service == ServiceKind.LegacyUpload).Address;

    /// <summary>Waits, a few milliseconds at a time, for <paramref name="condition"/>; fails after 10 s.</summary>
    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, giveUp.Token);
        }
    }

    /// <summary>The names in <paramref name="folder"/>, hidden ones included, sorted; none when it does not exist.</summary>
    internal static string[] Entries(string folder) =>
        Directory.Exists(folder) ? [.. Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!] : [];

    /// <summary>A server with the framed protocol and the legacy upload listener on ephemeral loopback ports, storing in <paramref name="folder"/>.</summary>
    internal static Task<TestServer> StartAsync(string folder, params (string Key, string Value)[] settings)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Sockit:Files:Legacy:Address"] = "tcp://127.0.0.1:0",
            ["Sockit:Files:Legacy:Folder"] = folder,
        };
        foreach (var (key, value) in settings)
        {
            overrides[key] = value;
        }

        return TestServer.StartAsync(overrides, ["framed=tcp://127.0.0.1:0"]);
    }

    /// <summary>A server storing in the test's folder.</summary>
    private Task<TestServer> StartAsync(params (string Key, string Value)[] settings) => StartAsync(Folder, settings);

    /// <summary>Uploads one file on a connection of its own and waits until the server has closed it: then the file is stored.</summary>
    private static async Task UploadAndEndAsync(TestServer server, string name, byte[] file)
    {
        await using var client = await LegacyClient.ConnectAsync(LegacyUpload(server));
        await client.UploadAsync(name, file);
        client.EndSending();
        Assert.Null(await client.ReadReplyOrEndAsync());
    }
}
