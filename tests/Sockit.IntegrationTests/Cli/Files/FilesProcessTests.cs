using System.Text.RegularExpressions;

namespace Sockit.IntegrationTests.Cli.Files;

/// <summary><c>sockit put/get/ls/stat/mkdir/rm/mv/df</c> as real processes against a real server.</summary>
public sealed partial class FilesProcessTests
{
    private const int ServerError = 6;
    private const int Usage = 2;

    [Fact]
    public async Task Files_go_up_and_come_back_byte_for_byte_with_a_Unicode_name()
    {
        await using var cli = await FilesCli.StartAsync(quota: 16 * 1024 * 1024);
        var small = cli.MakeFile("ünï cödé 年.txt", 1000);
        var large = cli.MakeFile("large.bin", (2 * 1024 * 1024) + 7, seed: 2);

        var put = await cli.RunAsync("put", small, large, "/docs/");

        Assert.Equal(0, put.ExitCode);
        Assert.StartsWith("put: 2 files, 2.0 MiB in ", put.Error, StringComparison.Ordinal);
        Assert.Equal(FilesCli.Sha256(small), FilesCli.Sha256(Path.Combine(cli.Home, "docs", "ünï cödé 年.txt")));
        Assert.Equal(FilesCli.Sha256(large), FilesCli.Sha256(Path.Combine(cli.Home, "docs", "large.bin")));

        var back = Path.Combine(cli.Local, "back");
        var get = await cli.RunAsync("get", "/docs/ünï cödé 年.txt", "docs/large.bin", back + "/");

        Assert.Equal(0, get.ExitCode);
        Assert.Equal(File.ReadAllBytes(small), File.ReadAllBytes(Path.Combine(back, "ünï cödé 年.txt")));
        Assert.Equal(File.ReadAllBytes(large), File.ReadAllBytes(Path.Combine(back, "large.bin")));
        Assert.Equal(["large.bin", "ünï cödé 年.txt"], Directory.GetFiles(back).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Ls_stat_and_df_show_what_is_there()
    {
        await using var cli = await FilesCli.StartAsync(quota: 10 * 1024 * 1024);
        Assert.Equal(0, (await cli.RunAsync("mkdir", "-p", "/docs/sub")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("put", "-q", cli.MakeFile("a.txt", 1234), "/docs/")).ExitCode);

        var ls = await cli.RunAsync("ls", "/docs");
        var longLs = await cli.RunAsync("ls", "-l", "/docs");
        var stat = await cli.RunAsync("stat", "/docs/a.txt");
        var df = await cli.RunAsync("df");

        Assert.Equal((0, "a.txt\nsub\n", ""), ls);
        var lines = longLs.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(LongLine("-", "1234", "a.txt"), lines[0]);
        Assert.Matches(LongLine("d", @"\d+", "sub"), lines[1]);
        Assert.Contains("size:  1234 (1.2 KiB)", stat.Output, StringComparison.Ordinal);
        Assert.Contains("type:  file", stat.Output, StringComparison.Ordinal);
        Assert.Equal(0, df.ExitCode);
        Assert.Matches(@"^used \d+(\.\d)? (B|KiB) of 10\.0 MiB \(\d+\.\d MiB free\)\n$", df.Output);
    }

    private static string LongLine(string type, string size, string name) =>
        $@"^{type}[rwx-]{{9}} +{size} \d{{4}}-\d\d-\d\d \d\d:\d\d {Regex.Escape(name)}$";

    [Theory]
    [InlineData("Sockit:MaxRequestsInFlight")]
    [InlineData("Sockit:Files:MaxTransfersPerUser")]
    public async Task Put_r_keeps_to_a_server_that_takes_fewer_files_at_once_than_it_sends(string limit)
    {
        // The CLI keeps 32 files going; this server takes 2 requests (or 2 transfers of one user) at a time, and refuses
        // any more: with an error for the requests, with server_busy for the transfers, which the CLI tries again.
        await using var cli = await FilesCli.StartAsync(settings: new Dictionary<string, string?> { [limit] = "2" });
        const int Files = 40;
        for (int i = 0; i < Files; i++)
        {
            cli.MakeFile($"many/f{i:D2}.bin", 100 + i, seed: i);
        }

        var put = await cli.RunAsync("put", "-r", Path.Combine(cli.Local, "many"), "/");

        // A run long enough gets progress lines before its summary, the last line.
        Assert.Equal(0, put.ExitCode);
        Assert.StartsWith($"put: {Files} files", put.Error.TrimEnd('\n').Split('\n')[^1], StringComparison.Ordinal);
        var listed = (await cli.RunAsync("ls", "/many")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(0, Files).Select(i => $"f{i:D2}.bin"), listed);
    }

    [Fact]
    public async Task A_tree_goes_up_and_comes_back_with_r_and_is_moved_and_removed()
    {
        await using var cli = await FilesCli.StartAsync();
        var tree = Path.Combine(cli.Local, "tree");
        cli.MakeFile("tree/x.txt", 10);
        cli.MakeFile("tree/sub/y.txt", 20, seed: 2);
        cli.MakeFile("tree/sub/deeper/z.bin", 3000, seed: 3);
        Directory.CreateDirectory(Path.Combine(tree, "empty"));

        Assert.Equal(0, (await cli.RunAsync("put", "-r", "-q", tree, "/")).ExitCode);
        Assert.Equal("empty\nsub\nx.txt\n", (await cli.RunAsync("ls", "/tree")).Output);

        var back = Path.Combine(cli.Local, "back");
        var get = await cli.RunAsync("get", "-r", "/tree", back);
        Assert.Equal(0, get.ExitCode);
        Assert.StartsWith("get: 3 files", get.Error, StringComparison.Ordinal);
        foreach (var file in new[] { "x.txt", "sub/y.txt", "sub/deeper/z.bin" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(tree, file)), File.ReadAllBytes(Path.Combine(back, file)));
        }

        Assert.True(Directory.Exists(Path.Combine(back, "empty")));

        Assert.Equal(0, (await cli.RunAsync("mv", "/tree/x.txt", "/tree/sub/")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("mv", "/tree/sub", "/renamed")).ExitCode);
        Assert.Equal("deeper\nx.txt\ny.txt\n", (await cli.RunAsync("ls", "/renamed")).Output);

        var refused = await cli.RunAsync("rm", "/renamed");
        Assert.Equal(ServerError, refused.ExitCode);
        Assert.Contains("is_a_folder", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await cli.RunAsync("rm", "-r", "/renamed", "/tree")).ExitCode);
        var empty = await cli.RunAsync("ls");
        Assert.Equal((0, ""), (empty.ExitCode, empty.Output));
    }

    [Theory]
    [InlineData("ls", "/nope")]
    [InlineData("stat", "/nope")]
    [InlineData("rm", "/nope")]
    [InlineData("mv", "/nope", "/elsewhere")]
    public async Task Not_found_is_one_line_and_the_server_error_exit_code(params string[] arguments)
    {
        await using var cli = await FilesCli.StartAsync();

        var (exit, output, error) = await cli.RunAsync(arguments);

        Assert.Equal(ServerError, exit);
        Assert.Equal("", output);
        Assert.Matches(@"^sockit: /nope: server error \(not_found\): [^\n]+\n$", error);
    }

    [Fact]
    public async Task One_failing_file_does_not_stop_the_others_and_the_summary_counts_it()
    {
        await using var cli = await FilesCli.StartAsync();
        var a = cli.MakeFile("a.txt", 5);
        var b = cli.MakeFile("b.txt", 6);

        var put = await cli.RunAsync("put", a, Path.Combine(cli.Local, "missing.txt"), b, "/d/");
        var again = await cli.RunAsync("put", a, "/d/");
        var get = await cli.RunAsync("get", "/d/a.txt", "/d/nope.txt", cli.Local + "/");

        Assert.Equal(Usage, put.ExitCode);
        Assert.Equal("a.txt\nb.txt\n", (await cli.RunAsync("ls", "/d")).Output);
        Assert.Contains("missing.txt: no such local file or folder\n", put.Error, StringComparison.Ordinal);
        Assert.EndsWith("; 1 failed\n", put.Error, StringComparison.Ordinal);
        Assert.Equal(ServerError, again.ExitCode);
        Assert.Contains("already_exists", again.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await cli.RunAsync("put", "-f", "-q", a, "/d/")).ExitCode);

        // a.txt is there locally already: refused without -f; nope.txt is not on the server.
        Assert.NotEqual(0, get.ExitCode);
        Assert.Contains("a.txt exists; -f overwrites it", get.Error, StringComparison.Ordinal);
        Assert.Contains("/d/nope.txt: server error (not_found)", get.Error, StringComparison.Ordinal);
        Assert.Contains("get: 0 files, 0 B in ", get.Error, StringComparison.Ordinal);
        Assert.EndsWith("; 2 failed\n", get.Error, StringComparison.Ordinal);
    }
}
