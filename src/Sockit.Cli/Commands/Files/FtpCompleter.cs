namespace Sockit.Cli.Commands.Files;

/// <summary>
/// Tab completion for <c>sockit ftp</c>: command names first, then remote names (local ones for <c>put</c> and
/// <c>lcd</c>), listed from the server as Tab is pressed.
/// </summary>
internal sealed class FtpCompleter(FtpSession session)
{
    private static readonly HashSet<string> LocalVerbs = new(StringComparer.Ordinal) { "put", "lcd" };

    /// <summary>The words that could stand where the word ending at <paramref name="cursor"/> in <paramref name="line"/> is.</summary>
    public async Task<IReadOnlyList<string>> CompleteAsync(string line, int cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        int start = FtpWords.WordStart(line, cursor);
        List<string> before;
        string word;
        try
        {
            before = FtpWords.Split(line[..start]);
            word = FtpWords.Split(line[start..cursor]) is [var typed] ? typed : "";
        }
        catch (FormatException)
        {
            // An open quote: nothing sensible to add.
            return [];
        }

        if (before.Count == 0 || before[0] == "help")
        {
            return [.. session.VerbNames.Where(name => name.StartsWith(word, StringComparison.Ordinal))];
        }

        if (word.StartsWith('-'))
        {
            return [];
        }

        try
        {
            return LocalVerbs.Contains(before[0])
                ? session.CompleteLocal(word)
                : await session.CompleteRemoteAsync(word, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A folder that is not there, or a connection that is gone, completes nothing; the command will say why.
            return [];
        }
    }
}
