using System.CommandLine;
using Sockit.Client;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// What every one-shot file verb does around its work: the login options, a connection logged in as they (or a saved
/// login, or the local key) say, and failures turned into one line and an exit code.
/// </summary>
internal static class FileVerb
{
    /// <summary>Adds the server and login options to <paramref name="command"/> and runs <paramref name="body"/> on a logged-in connection.</summary>
    public static void SetAction(
        Command command, CliContext context, Func<ParseResult, SockitClient, CancellationToken, Task<ExitCode>> body)
    {
        var server = new ServerOptions(udpDefault: null);
        server.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(
            context,
            async token =>
            {
                var target = await server.ResolveAsync(parseResult, context, needsLogin: true, token).ConfigureAwait(false);
                var client = await target.ConnectAsync(token).ConfigureAwait(false);
                await using (client.ConfigureAwait(false))
                {
                    return await body(parseResult, client, token).ConfigureAwait(false);
                }
            },
            cancellationToken));
    }

    /// <summary>
    /// Runs <paramref name="each"/> for every path, reporting a failure in one line and going on with the next, as
    /// <c>rm a b c</c> does; returns the exit code of the first failure, or <see cref="ExitCode.Ok"/>.
    /// </summary>
    public static async Task<ExitCode> ForEachAsync(
        CliContext context, IEnumerable<string> paths, Func<string, Task> each)
    {
        var result = ExitCode.Ok;
        foreach (var path in paths)
        {
            try
            {
                await each(path).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var code = await ReportAsync(context, path, ex).ConfigureAwait(false);
                result = result == ExitCode.Ok ? code : result;
            }
        }

        return result;
    }

    /// <summary>Writes <c>sockit: PATH: what went wrong</c> and returns the failure's exit code.</summary>
    public static async Task<ExitCode> ReportAsync(CliContext context, string path, Exception exception)
    {
        await context.Error.WriteLineAsync(Describe(path, exception)).ConfigureAwait(false);
        return ExitCodeFor(exception);
    }

    /// <summary>The one line that reports <paramref name="exception"/> for <paramref name="path"/>, with the <c>sockit: </c> prefix.</summary>
    public static string Describe(string path, Exception exception)
    {
        var name = EntryFormat.Name(path);
        var text = exception is IOException or UnauthorizedAccessException
            // A local file's trouble: the system's own words say it best (no such file, permission denied).
            ? CommandRunner.OneLine(EntryFormat.Name(exception.Message))
            : CommandRunner.Describe(exception);

        // A message that begins with the name says which file already ("X is a folder"): not "X: X is a folder".
        return name.Length > 0 && text.StartsWith(name + " ", StringComparison.Ordinal) ? $"sockit: {text}" : $"sockit: {name}: {text}";
    }

    /// <summary>The exit code of a failure; a local file's trouble is <see cref="ExitCode.Failure"/>.</summary>
    public static ExitCode ExitCodeFor(Exception exception) => CommandRunner.ExitCodeFor(exception);
}
