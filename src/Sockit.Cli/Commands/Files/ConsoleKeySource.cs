namespace Sockit.Cli.Commands.Files;

/// <summary>The process's terminal, read key by key without echo (the line editor draws what is typed).</summary>
internal sealed class ConsoleKeySource : IKeySource
{
    public ConsoleKeyInfo ReadKey() => Console.ReadKey(intercept: true);

    public bool KeyAvailable => Console.KeyAvailable;
}
