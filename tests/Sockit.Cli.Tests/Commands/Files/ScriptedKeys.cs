using Sockit.Cli.Commands.Files;

namespace Sockit.Cli.Tests.Commands.Files;

/// <summary>Keys for the line editor, given in advance.</summary>
internal sealed class ScriptedKeys : IKeySource
{
    private readonly Queue<ConsoleKeyInfo> _keys = new();

    public bool KeyAvailable => _keys.Count > 0;

    public ConsoleKeyInfo ReadKey() =>
        _keys.TryDequeue(out var key) ? key : throw new InvalidOperationException("the test typed no more keys");

    /// <summary>Types <paramref name="text"/> character by character.</summary>
    public ScriptedKeys Type(string text)
    {
        foreach (char c in text)
        {
            _keys.Enqueue(new ConsoleKeyInfo(c, ConsoleKey.NoName, shift: false, alt: false, control: false));
        }

        return this;
    }

    /// <summary>Presses <paramref name="key"/>.</summary>
    public ScriptedKeys Press(ConsoleKey key, char keyChar = '\0')
    {
        _keys.Enqueue(new ConsoleKeyInfo(keyChar, key, shift: false, alt: false, control: false));
        return this;
    }

    /// <summary>Presses Ctrl and <paramref name="letter"/>, as the terminal sends it.</summary>
    public ScriptedKeys Control(char letter)
    {
        _keys.Enqueue(new ConsoleKeyInfo((char)(char.ToUpperInvariant(letter) - '@'), ConsoleKey.A + (char.ToUpperInvariant(letter) - 'A'), shift: false, alt: false, control: true));
        return this;
    }
}
