using Sockit.Cli.Commands.Files;
using Sockit.Protocol.Errors;

namespace Sockit.Cli.Tests.Commands.Files;

public sealed class TransferArgumentsTests
{
    [Fact]
    public void With_one_path_there_is_no_destination_and_with_more_the_last_is_it()
    {
        var (one, none) = TransferCommand.Split(["a.txt"]);
        Assert.Equal(["a.txt"], one);
        Assert.Null(none);

        var (several, destination) = TransferCommand.Split(["a.txt", "b.txt", "/docs/"]);
        Assert.Equal(["a.txt", "b.txt"], several);
        Assert.Equal("/docs/", destination);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("../../etc/passwd")]
    [InlineData("nul\0")]
    public void A_name_from_the_server_that_would_leave_the_destination_is_refused(string name)
    {
        var refused = Assert.Throws<SockitProtocolException>(() => GetPlanner.LocalChild("/tmp/dest", name));
        Assert.Equal(SockitErrorCode.ProtocolError, refused.Code);
    }

    [Fact]
    public void Ordinary_names_land_in_the_destination_and_the_home_s_empty_name_is_the_destination_itself()
    {
        Assert.Equal(Path.Join("/tmp/dest", "ünï cödé.txt"), GetPlanner.LocalChild("/tmp/dest", "ünï cödé.txt"));
        Assert.Equal("/tmp/dest", GetPlanner.LocalChild("/tmp/dest", ""));
    }

    [Fact]
    public void A_long_label_keeps_its_end_which_names_the_file()
    {
        var label = new string('x', 50) + "/report.txt";

        var fitted = SpectreTransferDisplay.Fit(label);

        Assert.StartsWith("…", fitted, StringComparison.Ordinal);
        Assert.EndsWith("/report.txt", fitted, StringComparison.Ordinal);
        Assert.True(fitted.Length <= 36);
        Assert.Equal("short.txt", SpectreTransferDisplay.Fit("short.txt"));
    }

    [Fact]
    public void A_plain_progress_line_counts_files_bytes_rate_and_time_left()
    {
        var display = new PlainTransferDisplay(TextWriter.Null, "put", null, TimeProvider.System);
        var done = new TransferItem("a", "/a", 1024, "a");
        display.Start(done);
        display.Finish(done, succeeded: true);
        var running = new TransferItem("b", "/b", 3072, "b");
        display.Start(running).Report(1024);

        Assert.Equal("put: 1/2 files, 2.0 KiB of 4.0 KiB (50%), 1.0 KiB/s, 0:02 left", display.Line(2, 4096, TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData("put")]
    [InlineData("get")]
    [InlineData("stat")]
    [InlineData("rm")]
    [InlineData("mkdir")]
    [InlineData("mv", "only-one")]
    public async Task A_verb_without_its_paths_is_a_usage_error_in_one_line(string verb, params string[] paths)
    {
        var result = await CliHarness.RunAsync([verb, .. paths]);

        result.AssertOneLineFailure(ExitCode.Usage);
    }

    [Fact]
    public void The_summary_line_counts_files_and_failures()
    {
        var summary = new TransferSummary("get", 3, 1, 3 * 1024, TimeSpan.FromSeconds(1), ExitCode.ServerError);

        Assert.Equal("get: 3 files, 3.0 KiB in 1.0 s (3.0 KiB/s); 1 failed", summary.Describe());
    }
}
