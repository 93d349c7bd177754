namespace Sockit.Cli.Commands.Files;

/// <summary>Keys typed at a terminal, one at a time: the console, or a script of keys in tests.</summary>
internal interface IKeySource
{
    /// <summary>Waits for the next key.</summary>
    ConsoleKeyInfo ReadKey();

    /// <summary>Whether a key is waiting, so <see cref="ReadKey"/> would not block.</summary>
    bool KeyAvailable { get; }
}
