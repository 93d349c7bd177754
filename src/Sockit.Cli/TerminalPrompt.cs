using System.Text;

namespace Sockit.Cli;

/// <summary>
/// Questions asked at the terminal: a password, a user name, whether to trust a certificate. They are read key by key
/// with Ctrl+C taken as a key, so one Ctrl+C ends the question at once: a signal would only cancel a token that a
/// blocked console read never looks at.
/// </summary>
internal static class TerminalPrompt
{
    private const char ControlC = '\u0003';

    /// <summary>
    /// Writes <paramref name="prompt"/> to <paramref name="prompts"/> and reads a line typed at the terminal, without
    /// showing it unless <paramref name="echo"/>.
    /// </summary>
    /// <exception cref="PromptCancelledException">Ctrl+C was pressed; the prompt's line has been ended.</exception>
    public static string ReadLine(TextWriter prompts, string prompt, bool echo)
    {
        prompts.Write(prompt);
        prompts.Flush();
        var controlCWasInput = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        try
        {
            return ReadKeys(prompts, echo);
        }
        finally
        {
            Console.TreatControlCAsInput = controlCWasInput;
        }
    }

    /// <summary>
    /// <see cref="ReadLine"/> on the thread pool, so that a cancelled <paramref name="cancellationToken"/> (SIGTERM)
    /// stops the wait even though the console read itself cannot be interrupted.
    /// </summary>
    /// <exception cref="OperationCanceledException">Ctrl+C was pressed, or the token was cancelled.</exception>
    public static async Task<string> ReadLineAsync(TextWriter prompts, string prompt, bool echo, CancellationToken cancellationToken)
    {
        var read = Task.Run(() => ReadLine(prompts, prompt, echo), CancellationToken.None);
        try
        {
            return await read.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The cursor is still after the prompt; what is said next deserves a line of its own.
            await prompts.WriteLineAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static string ReadKeys(TextWriter prompts, bool echo)
    {
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.KeyChar == ControlC || (key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control)))
            {
                prompts.WriteLine();
                throw new PromptCancelledException();
            }

            if (key.Key == ConsoleKey.Enter)
            {
                prompts.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                    if (echo)
                    {
                        prompts.Write("\b \b");
                    }
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
                if (echo)
                {
                    prompts.Write(key.KeyChar);
                }
            }

            prompts.Flush();
        }
    }
}
