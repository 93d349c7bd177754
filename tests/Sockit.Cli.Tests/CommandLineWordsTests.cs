using Sockit.Cli.Commands;

namespace Sockit.Cli.Tests;

/// <summary>The options of <c>sockit exec</c> end at the first word of the remote command line, as with ssh.</summary>
public sealed class CommandLineWordsTests
{
    private static readonly System.CommandLine.Command Exec = ExecCommand.Create(new CliContext
    {
        Input = TextReader.Null,
        Output = TextWriter.Null,
        Error = TextWriter.Null,
    });

    [Theory]
    [InlineData("exec ls -t", "exec -- ls -t")]
    [InlineData("exec -s host:9000 grep -s x f", "exec -s host:9000 -- grep -s x f")]
    [InlineData("exec --pty -e A=1 --cwd -odd top", "exec --pty -e A=1 --cwd -odd -- top")]
    [InlineData("exec --env=A=1 --timeout 5 sleep 9", "exec --env=A=1 --timeout 5 -- sleep 9")]
    [InlineData("exec --bogus ls", "exec --bogus -- ls")]
    [InlineData("exec -s host -- ls -l", "exec -s host -- ls -l")]
    [InlineData("exec --pty", "exec --pty")]
    public void A_double_dash_goes_before_the_first_word_that_is_no_option_or_value(string given, string expected)
    {
        var words = CommandLineWords.EndOptionsAtFirstArgument(Exec, given.Split(' '), start: 1);

        Assert.Equal(expected, string.Join(' ', words));
    }
}
