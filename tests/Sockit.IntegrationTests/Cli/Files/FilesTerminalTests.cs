using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Cli.Files;

/// <summary>What only a terminal shows: Ctrl+C in the middle of an upload, and <c>sockit ftp</c> typed at.</summary>
public sealed class FilesTerminalTests
{
    private const int Cancelled = 130;

    [Fact]
    public async Task Ctrl_C_during_a_big_put_leaves_a_partial_that_the_same_command_resumes()
    {
        await using var cli = await FilesCli.StartAsync();
        const int size = 64 * 1024 * 1024;
        var big = cli.MakeFile("big.bin", size);
        var partial = Path.Combine(cli.Home, ".big.bin.sockit-part");
        string[] put = ["put", big, "/"];

        await using (var terminal = await TmuxSession.StartAsync(put, cli.Environment))
        {
            await WaitUntilAsync(() => File.Exists(partial) && new FileInfo(partial).Length > 0, terminal);
            await terminal.SendKeysAsync("C-c");

            Assert.Equal(Cancelled, await terminal.WaitForExitAsync());
            var screen = await terminal.CaptureAsync();
            Assert.Contains("sockit: interrupted: run the same command again to resume", screen, StringComparison.Ordinal);
            Assert.Contains("big.bin", screen, StringComparison.Ordinal);
        }

        long kept = new FileInfo(partial).Length;
        Assert.InRange(kept, 1, size - 1);
        Assert.False(File.Exists(Path.Combine(cli.Home, "big.bin")));

        var again = await cli.RunAsync([.. put, "-q"]);

        Assert.Equal((0, ""), (again.ExitCode, again.Error));
        Assert.Equal(FilesCli.Sha256(big), FilesCli.Sha256(Path.Combine(cli.Home, "big.bin")));
        Assert.False(File.Exists(partial));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TmuxSession terminal)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"the upload did not start; the screen shows:\n{await terminal.CaptureAsync()}");
            }

            // Polling the server's disk: the upload's progress has no event to wait on.
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Ftp_shows_the_folder_in_its_prompt_and_moves_files_both_ways()
    {
        await using var cli = await FilesCli.StartAsync();
        var report = cli.MakeFile("report 2026.txt", 3000);
        var back = Path.Combine(cli.Local, "back");
        Directory.CreateDirectory(back);

        await using var terminal = await TmuxSession.StartAsync(["ftp"], cli.Environment);
        await terminal.WaitForTextAsync("sockit:/> ");
        await terminal.SendKeysAsync("mkdir -p docs/old", "Enter");
        await terminal.SendKeysAsync("cd do", "Tab", "Enter");
        await terminal.WaitForTextAsync("sockit:/docs> ");
        await terminal.SendKeysAsync($"lcd {cli.Local}", "Enter", "put rep", "Tab", "Enter");
        await terminal.WaitForTextAsync("put: 1 file");
        await terminal.SendKeysAsync("ls -l", "Enter");
        await terminal.WaitForTextAsync(" report 2026.txt");

        // Tab completes the remote name (quoting its space); Up brings back the last line.
        await terminal.SendKeysAsync("lcd back", "Enter", "get rep", "Tab");
        await terminal.WaitForTextAsync(@"get report\ 2026.txt ");
        await terminal.SendKeysAsync("Enter");
        await terminal.WaitForTextAsync("get: 1 file");
        await terminal.SendKeysAsync("Up", "Up", "Up");
        await terminal.WaitForTextAsync("sockit:/docs> ls -l");
        await terminal.SendKeysAsync("C-u", "cd old", "Enter", "pwd", "Enter");
        await terminal.WaitForTextAsync("sockit:/docs/old> ");
        await terminal.SendKeysAsync("half typed", "C-c", "get nope", "Enter");
        await terminal.WaitForTextAsync("sockit: /docs/old/nope: server error (not_found)");
        await terminal.SendKeysAsync("quit", "Enter");

        Assert.Equal(0, await terminal.WaitForExitAsync());
        Assert.Equal(File.ReadAllBytes(report), File.ReadAllBytes(Path.Combine(back, "report 2026.txt")));
        var screen = await terminal.CaptureAsync();
        Assert.Contains("sockit:/docs/old> half typed^C", screen, StringComparison.Ordinal);
        Assert.Contains("\n/docs/old\n", screen, StringComparison.Ordinal);
    }
}
