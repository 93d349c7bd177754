namespace Sockit.IntegrationTests.Cli.Files;

/// <summary><c>sockit ftp</c> with its commands piped in, as a script runs it.</summary>
public sealed class FtpPipedTests
{
    [Fact]
    public async Task Piped_commands_run_line_by_line_and_a_failure_sets_the_exit_code()
    {
        await using var cli = await FilesCli.StartAsync();
        var local = cli.MakeFile("a.txt", 100);

        var (exit, output, error) = await cli.RunWithInputAsync(
            $"mkdir docs\ncd docs\nput -q \"{local}\"\npwd\nls\nstat nope\ncd ..\nls\nquit\nls\n", "ftp");

        Assert.Equal(6, exit);
        Assert.Equal("/docs\na.txt\ndocs\n", output);
        Assert.Equal("sockit: /docs/nope: server error (not_found): cannot stat /docs/nope: no such file or folder\n", error);
    }
}
