using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// A small line editor for <c>sockit ftp</c> at a terminal, on raw keys: typing and deleting anywhere in the line,
/// Left/Right/Home/End (and Ctrl+A/E/B/F), Up/Down through the history (Ctrl+P/N), Ctrl+U/K/W to cut, Tab to complete,
/// Ctrl+C to drop the line and Ctrl+D on an empty line to leave. The line is redrawn after each change, so it assumes
/// the prompt and the line fit the terminal's width.
/// </summary>
internal sealed class LineEditor
{
    private const char ControlA = '\u0001';
    private const char ControlB = '\u0002';
    private const char ControlC = '\u0003';
    private const char ControlD = '\u0004';
    private const char ControlE = '\u0005';
    private const char ControlF = '\u0006';
    private const char ControlK = '\u000b';
    private const char ControlN = '\u000e';
    private const char ControlP = '\u0010';
    private const char ControlU = '\u0015';
    private const char ControlW = '\u0017';

    private readonly IKeySource _keys;
    private readonly TextWriter _output;
    private readonly Func<string, int, CancellationToken, Task<IReadOnlyList<string>>>? _complete;
    private readonly List<string> _history = [];
    private readonly StringBuilder _line = new();
    private string _prompt = "";
    private int _cursor;
    private bool _tabbedOnce;

    /// <param name="keys">Where keys come from.</param>
    /// <param name="output">Where the prompt and the line are drawn.</param>
    /// <param name="complete">
    /// The candidates for the word that ends at a position of a line (the whole words, as they would be typed, not
    /// quoted); <see langword="null"/> for no completion.
    /// </param>
    public LineEditor(IKeySource keys, TextWriter output, Func<string, int, CancellationToken, Task<IReadOnlyList<string>>>? complete)
    {
        _keys = keys;
        _output = output;
        _complete = complete;
    }

    /// <summary>The lines entered so far, oldest first.</summary>
    public IReadOnlyList<string> History => _history;

    /// <summary>
    /// Shows <paramref name="prompt"/> and reads a line: the line on Enter, an empty line on Ctrl+C (the typing is
    /// dropped), <see langword="null"/> on Ctrl+D at an empty line.
    /// </summary>
    public async Task<string?> ReadLineAsync(string prompt, CancellationToken cancellationToken)
    {
        _prompt = prompt;
        _line.Clear();
        _cursor = 0;
        _tabbedOnce = false;
        int historyIndex = _history.Count;
        string draft = "";
        Redraw();
        while (true)
        {
            // A console read cannot be interrupted; it runs on the pool so a cancelled token (SIGTERM) stops the wait.
            var key = _keys.KeyAvailable
                ? _keys.ReadKey()
                : await Task.Run(_keys.ReadKey, CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
            bool tab = key.Key == ConsoleKey.Tab;
            char c = key.KeyChar;
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Finish();
                    var entered = _line.ToString();
                    if (entered.Trim().Length > 0 && (_history.Count == 0 || _history[^1] != entered))
                    {
                        _history.Add(entered);
                    }

                    return entered;
                case ConsoleKey.Tab:
                    await CompleteAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case ConsoleKey.Backspace:
                    if (_cursor > 0)
                    {
                        _line.Remove(--_cursor, 1);
                    }

                    break;
                case ConsoleKey.Delete:
                    Delete();
                    break;
                case ConsoleKey.LeftArrow:
                    _cursor = Math.Max(0, _cursor - 1);
                    break;
                case ConsoleKey.RightArrow:
                    _cursor = Math.Min(_line.Length, _cursor + 1);
                    break;
                case ConsoleKey.Home:
                    _cursor = 0;
                    break;
                case ConsoleKey.End:
                    _cursor = _line.Length;
                    break;
                case ConsoleKey.UpArrow:
                    Recall(ref historyIndex, ref draft, -1);
                    break;
                case ConsoleKey.DownArrow:
                    Recall(ref historyIndex, ref draft, +1);
                    break;
                default:
                    switch (c)
                    {
                        case ControlC:
                            Finish("^C");
                            return "";
                        case ControlD when _line.Length == 0:
                            Finish();
                            return null;
                        case ControlD:
                            Delete();
                            break;
                        case ControlA:
                            _cursor = 0;
                            break;
                        case ControlE:
                            _cursor = _line.Length;
                            break;
                        case ControlB:
                            _cursor = Math.Max(0, _cursor - 1);
                            break;
                        case ControlF:
                            _cursor = Math.Min(_line.Length, _cursor + 1);
                            break;
                        case ControlP:
                            Recall(ref historyIndex, ref draft, -1);
                            break;
                        case ControlN:
                            Recall(ref historyIndex, ref draft, +1);
                            break;
                        case ControlU:
                            _line.Remove(0, _cursor);
                            _cursor = 0;
                            break;
                        case ControlK:
                            _line.Length = _cursor;
                            break;
                        case ControlW:
                            int start = _cursor;
                            while (start > 0 && char.IsWhiteSpace(_line[start - 1]))
                            {
                                start--;
                            }

                            while (start > 0 && !char.IsWhiteSpace(_line[start - 1]))
                            {
                                start--;
                            }

                            _line.Remove(start, _cursor - start);
                            _cursor = start;
                            break;
                        default:
                            if (!char.IsControl(c) && c != '\0')
                            {
                                _line.Insert(_cursor++, c);
                            }

                            break;
                    }

                    break;
            }

            _tabbedOnce = tab && _tabbedOnce;
            Redraw();
        }
    }

    private void Delete()
    {
        if (_cursor < _line.Length)
        {
            _line.Remove(_cursor, 1);
        }
    }

    private void Recall(ref int index, ref string draft, int step)
    {
        int next = Math.Clamp(index + step, 0, _history.Count);
        if (next == index)
        {
            return;
        }

        if (index == _history.Count)
        {
            // What was being typed comes back after the newest line.
            draft = _line.ToString();
        }

        index = next;
        _line.Clear().Append(index == _history.Count ? draft : _history[index]);
        _cursor = _line.Length;
    }

    /// <summary>
    /// Completes the word before the cursor: one candidate is taken whole (a file with a space after it), several
    /// give their common start, and a second Tab lists them.
    /// </summary>
    private async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_complete is null)
        {
            return;
        }

        var text = _line.ToString();
        int start = FtpWords.WordStart(text, _cursor);
        var candidates = await _complete(text, _cursor, cancellationToken).ConfigureAwait(false);
        if (candidates.Count == 0)
        {
            return;
        }

        string replacement = candidates.Count == 1
            ? FtpWords.Quote(candidates[0]) + (candidates[0].EndsWith('/') ? "" : " ")
            : FtpWords.Quote(CommonStart(candidates));
        if (replacement.Length > _cursor - start || candidates.Count == 1)
        {
            _line.Remove(start, _cursor - start).Insert(start, replacement);
            _cursor = start + replacement.Length;
            _tabbedOnce = false;
            return;
        }

        if (_tabbedOnce)
        {
            // The names the line could go on with, by their last part, as shells list them.
            int cursor = _cursor;
            Finish();
            _cursor = cursor;
            _output.WriteLine(string.Join("  ", candidates.Select(candidate => EntryFormat.Name(LastPart(candidate)))));
        }

        _tabbedOnce = true;
    }

    private static string LastPart(string candidate)
    {
        var trimmed = candidate.TrimEnd('/');
        return candidate[(trimmed.LastIndexOf('/') + 1)..];
    }

    private static string CommonStart(IReadOnlyList<string> candidates)
    {
        var common = candidates[0];
        foreach (var candidate in candidates.Skip(1))
        {
            int length = 0;
            while (length < common.Length && length < candidate.Length && common[length] == candidate[length])
            {
                length++;
            }

            common = common[..length];
        }

        return common;
    }

    /// <summary>Draws the prompt and the line again and puts the cursor where it belongs.</summary>
    private void Redraw()
    {
        var text = _line.ToString();
        var output = new StringBuilder();
        output.Append('\r').Append(_prompt).Append(EntryFormat.Name(text)).Append("\u001b[K");
        int back = EntryFormat.Name(text[_cursor..]).GetCellWidth();
        if (back > 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"\u001b[{back}D");
        }

        _output.Write(output.ToString());
        _output.Flush();
    }

    /// <summary>Ends the line on the screen (the cursor after its end, then <paramref name="mark"/>) and goes to the next.</summary>
    private void Finish(string mark = "")
    {
        _cursor = _line.Length;
        Redraw();
        _output.Write(mark + "\r\n");
        _output.Flush();
    }
}
