using Sockit.Cli.Commands.Files;

namespace Sockit.Cli.Tests.Commands.Files;

public sealed class LineEditorTests : IDisposable
{
    private readonly ScriptedKeys _keys = new();
    private readonly StringWriter _screen = new();

    public void Dispose() => _screen.Dispose();

    private LineEditor Editor(params string[] names) => new(_keys, _screen, (line, cursor, _) =>
    {
        var word = FtpWords.Split(line[FtpWords.WordStart(line, cursor)..cursor]).SingleOrDefault() ?? "";
        return Task.FromResult<IReadOnlyList<string>>([.. names.Where(name => name.StartsWith(word, StringComparison.Ordinal))]);
    });

    [Fact]
    public async Task Typed_keys_make_the_line_and_Enter_ends_it()
    {
        _keys.Type("ls -l").Press(ConsoleKey.Enter);

        Assert.Equal("ls -l", await Editor().ReadLineAsync("sockit:/> ", CancellationToken.None));
        Assert.StartsWith("\rsockit:/> ", _screen.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_edit_anywhere_in_the_line()
    {
        _keys.Type("sx").Press(ConsoleKey.Backspace).Press(ConsoleKey.Home).Type("l").Press(ConsoleKey.End).Type(" -l")
            .Press(ConsoleKey.LeftArrow).Press(ConsoleKey.LeftArrow).Press(ConsoleKey.Delete).Press(ConsoleKey.Enter);

        Assert.Equal("ls l", await Editor().ReadLineAsync("> ", CancellationToken.None));
    }

    [Fact]
    public async Task Up_and_down_walk_the_history_and_keep_the_draft()
    {
        var editor = Editor();
        _keys.Type("pwd").Press(ConsoleKey.Enter).Type("ls").Press(ConsoleKey.Enter)
            .Type("draft").Press(ConsoleKey.UpArrow).Press(ConsoleKey.UpArrow).Press(ConsoleKey.Enter)
            .Type("x").Press(ConsoleKey.UpArrow).Press(ConsoleKey.DownArrow).Press(ConsoleKey.Enter);

        Assert.Equal("pwd", await editor.ReadLineAsync("> ", CancellationToken.None));
        Assert.Equal("ls", await editor.ReadLineAsync("> ", CancellationToken.None));
        Assert.Equal("pwd", await editor.ReadLineAsync("> ", CancellationToken.None));
        Assert.Equal("x", await editor.ReadLineAsync("> ", CancellationToken.None));
        // A line recalled and entered again is the newest again, as in a shell.
        Assert.Equal(["pwd", "ls", "pwd", "x"], editor.History);
    }

    [Fact]
    public async Task Ctrl_C_drops_the_line_and_Ctrl_D_on_an_empty_line_leaves()
    {
        var editor = Editor();
        _keys.Type("half typed").Control('c').Control('d');

        Assert.Equal("", await editor.ReadLineAsync("> ", CancellationToken.None));
        Assert.Contains("half typed\u001b[K^C\r\n", _screen.ToString(), StringComparison.Ordinal);
        Assert.Null(await editor.ReadLineAsync("> ", CancellationToken.None));
        Assert.Empty(editor.History);
    }

    [Fact]
    public async Task Tab_completes_one_name_whole_quoting_what_needs_it()
    {
        var editor = Editor("report.txt", "my docs/");
        _keys.Type("get re").Press(ConsoleKey.Tab).Press(ConsoleKey.Enter).Type("cd my").Press(ConsoleKey.Tab).Press(ConsoleKey.Enter);

        Assert.Equal("get report.txt ", await editor.ReadLineAsync("> ", CancellationToken.None));
        Assert.Equal(@"cd my\ docs/", await editor.ReadLineAsync("> ", CancellationToken.None));
    }

    [Fact]
    public async Task Tab_completes_the_common_start_and_a_second_Tab_lists_the_names()
    {
        _keys.Type("get a").Press(ConsoleKey.Tab).Press(ConsoleKey.Tab).Press(ConsoleKey.Tab).Press(ConsoleKey.Enter);

        Assert.Equal("get alp", await Editor("alpha.txt", "alps/", "beta").ReadLineAsync("> ", CancellationToken.None));
        Assert.Contains("alpha.txt  alps/\n", _screen.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_characters_typed_or_pasted_never_reach_the_line()
    {
        _keys.Type("a\u001b[31mb").Press(ConsoleKey.Enter);

        Assert.Equal("a[31mb", await Editor().ReadLineAsync("> ", CancellationToken.None));
    }
}
