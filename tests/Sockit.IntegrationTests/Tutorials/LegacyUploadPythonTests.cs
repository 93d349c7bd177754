using System.Runtime.Versioning;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Tutorials;

/// <summary>
/// The tutorials' own upload client (tutorial 003, the header with <c>file_name</c>, <c>file_size</c> and <c>md5</c>, in
/// <c>Scripts/upload_client.py</c>: the tutorial's lines as printed, with their line breaks restored, after the few lines
/// the tutorial assumes; only its port is pointed at the test's server) against the legacy upload listener, alone and
/// with the tutorials' <c>conn_auth</c>. It reads nothing back and ends once its file is sent, so each test waits for the
/// server's log line of the upload.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LegacyUploadPythonTests : IDisposable
{
    private const string TutorialKey = "linhaifeng bang bang bang";

    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("sockit-legacy-upload-py-");

    public void Dispose() => _scratch.Delete(recursive: true);

    private string Folder => Path.Combine(_scratch.FullName, "uploads");

    [Fact]
    [Trait("Category", "Interop")]
    public async Task The_tutorials_client_uploads_a_file_that_is_stored_under_its_name()
    {
        await using var server = await StartAsync();

        var (exit, output, error) = await PythonScript.RunAsync(Script(server), "hello from the tutorial\n");

        Assert.Equal((0, "", ""), (exit, output, error));
        await LegacyUploadTests.WaitUntilAsync(() => server.Log.Entries.Any(e => e.Event.Id is 1701 or 1702));
        Assert.Equal("hello from the tutorial\n", await File.ReadAllTextAsync(Path.Combine(Folder, "a.txt")));
        Assert.Contains(
            server.Log.Entries,
            e => e.Event.Id == 1701 && e.Message.Contains("name=a.txt size=24 md5=", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task A_file_of_several_megabytes_arrives_whole()
    {
        await using var server = await StartAsync();
        var file = string.Concat(Enumerable.Repeat("0123456789abcdef", 3 * 65536));

        var (exit, _, error) = await PythonScript.RunAsync(Script(server), file);

        Assert.Equal((0, ""), (exit, error));
        await LegacyUploadTests.WaitUntilAsync(() => server.Log.Entries.Any(e => e.Event.Id is 1701 or 1702));
        Assert.Equal(Encoding.ASCII.GetBytes(file), await File.ReadAllBytesAsync(Path.Combine(Folder, "a.txt")));
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task The_tutorials_own_example_name_a_path_is_refused_and_nothing_is_stored()
    {
        await using var server = await StartAsync();
        Directory.CreateDirectory(Folder);
        var script = Script(server).Replace("'file_name':'a.txt'", "'file_name':'/a/b/c/d/e/a.txt'", StringComparison.Ordinal);

        await PythonScript.RunAsync(script, "contents\n");

        await LegacyUploadTests.WaitUntilAsync(() => server.Log.Entries.Any(e => e.Event.Id is 1701 or 1702));
        var refused = Assert.Single(server.Log.Entries, e => e.Event.Id == 1702);
        Assert.Contains("name=/a/b/c/d/e/a.txt", refused.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_name: file_name '/a/b/c/d/e/a.txt' cannot be stored: the name may not contain '/'", refused.Message, StringComparison.Ordinal);
        Assert.Empty(LegacyUploadTests.Entries(Folder));
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("md5")]
    [InlineData("sha256")]
    public async Task The_tutorials_client_with_conn_auth_passes_the_hmac_challenge(string digest)
    {
        await using var server = await StartAsync(("Sockit:Files:Legacy:HmacKey", TutorialKey), ("Sockit:Files:Legacy:HmacDigest", digest));

        var (exit, _, error) = await PythonScript.RunAsync(TutorialScript.WithConnAuth(Script(server), digest), "authenticated\n");

        Assert.Equal((0, ""), (exit, error));
        await LegacyUploadTests.WaitUntilAsync(() => server.Log.Entries.Any(e => e.Event.Id is 1701 or 1702));
        Assert.Equal("authenticated\n", await File.ReadAllTextAsync(Path.Combine(Folder, "a.txt")));
        Assert.DoesNotContain(server.Log.Entries, e => e.Event.Id == 1703);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task The_tutorials_client_without_conn_auth_is_closed_before_its_file_is_read()
    {
        await using var server = await StartAsync(("Sockit:Files:Legacy:HmacKey", TutorialKey));

        // It never reads the challenge: its header is taken as a wrong answer, and the connection closed. It also closes
        // with the challenge unread, so its kernel resets the connection, and a reset that comes before the server has
        // read the header drops it: then the client is logged as having reset instead of answering.
        await PythonScript.RunAsync(Script(server), "unchecked\n");

        await LegacyUploadTests.WaitUntilAsync(() => server.Log.Entries.Any(e => e.Event.Id == 1703));
        Assert.Matches("wrong answer|reset before an answer", server.Log.Entries.Single(e => e.Event.Id == 1703).Message);
        Assert.Empty(LegacyUploadTests.Entries(Folder));
        Assert.DoesNotContain(server.Log.Entries, e => e.Event.Id is 1701 or 1702);
    }

    private static string Script(TestServer server) =>
        TutorialScript.Load("upload_client.py", LegacyUploadTests.LegacyUpload(server).Port, tutorialPort: 8088);

    private Task<TestServer> StartAsync(params (string Key, string Value)[] settings) => LegacyUploadTests.StartAsync(Folder, settings);
}
