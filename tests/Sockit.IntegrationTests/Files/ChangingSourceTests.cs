using Sockit.Client.Files;
using Sockit.Protocol.Errors;

namespace Sockit.IntegrationTests.Files;

/// <summary>
/// A large upload is hashed as it is sent, so the client must notice a local file that changes under it: the hash of
/// what was sent would vouch for a mix of two versions.
/// </summary>
public sealed class ChangingSourceTests
{
    [Fact]
    public async Task A_file_written_to_while_it_is_sent_is_refused_and_the_next_upload_sends_the_new_file()
    {
        await using var server = await FilesServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var source = server.MakeFile("big.bin", 3 * 1024 * 1024);

        // File times move in clock ticks of a few milliseconds; a file made just now could be written to within the same.
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddMinutes(-5));
        bool written = false;
        var progress = new SynchronousProgress(done =>
        {
            if (!written && done >= 1024 * 1024)
            {
                written = true;
                using var file = new FileStream(source, FileMode.Open, FileAccess.Write);
                file.Write("changed"u8);
            }
        });

        var refused = await Assert.ThrowsAsync<SockitException>(
            () => client.UploadFileAsync(source, "/big.bin", new FileTransferOptions { Progress = progress }));
        var put = await client.UploadFileAsync(source, "/big.bin");

        Assert.Equal(SockitErrorCode.Busy, refused.Code);
        Assert.Contains("changed while it was sent", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, put.Resumed);
        var back = Path.Combine(server.Local.FullName, "back.bin");
        await client.DownloadFileAsync("/big.bin", back);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(back));
    }
}
