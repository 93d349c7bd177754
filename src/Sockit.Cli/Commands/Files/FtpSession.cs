using Sockit.Client;
using Sockit.Client.Files;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Files;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// The state and commands of <c>sockit ftp</c>: the connection, the remote working folder (kept here, since the server
/// keeps none) and the local one, and what each typed command does. A failed command says so in one line; the
/// session goes on.
/// </summary>
internal sealed class FtpSession : IAsyncDisposable
{
    private readonly CliContext _context;
    private readonly ServerTarget _target;
    private readonly Dictionary<string, FtpVerb> _verbs;

    private FtpSession(CliContext context, ServerTarget target, SockitClient client, string localFolder)
    {
        _context = context;
        _target = target;
        Client = client;
        LocalFolder = localFolder;
        _verbs = CreateVerbs().ToDictionary(verb => verb.Name, StringComparer.Ordinal);
    }

    /// <summary>The server, as the user named it.</summary>
    public string Address => _target.Address.ToString();

    /// <summary>The connection; a new one after the server closed the last.</summary>
    public SockitClient Client { get; private set; }

    /// <summary>The remote working folder, always absolute (<c>/</c> is the home).</summary>
    public string RemoteFolder { get; private set; } = "/";

    /// <summary>The local working folder, for <c>put</c>, <c>get</c> and <c>lcd</c>.</summary>
    public string LocalFolder { get; private set; }

    /// <summary>The command names, for completion.</summary>
    public IEnumerable<string> VerbNames => _verbs.Keys.Order(StringComparer.Ordinal);

    /// <summary>The exit code of the first command that failed; <see cref="ExitCode.Ok"/> while none has.</summary>
    public ExitCode FirstFailure { get; private set; } = ExitCode.Ok;

    public static async Task<FtpSession> ConnectAsync(CliContext context, ServerTarget target, string localFolder, CancellationToken cancellationToken) =>
        new(context, target, await target.ConnectAsync(cancellationToken).ConfigureAwait(false), localFolder);

    /// <summary>The prompt: <c>sockit:/docs&gt; </c>.</summary>
    public string Prompt => $"sockit:{EntryFormat.Name(RemoteFolder)}> ";

    /// <summary>Runs one typed line; <see langword="false"/> when it asks to leave.</summary>
    public async Task<bool> RunAsync(string line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ExitCode result;
        try
        {
            var words = FtpWords.Split(line);
            if (words.Count == 0)
            {
                return true;
            }

            if (words[0] is "quit" or "exit" or "bye")
            {
                return false;
            }

            if (!_verbs.TryGetValue(words[0], out var verb))
            {
                throw new SockitException(SockitErrorCode.InvalidArgument, $"unknown command '{EntryFormat.Name(words[0])}'; 'help' lists them");
            }

            var arguments = FtpArguments.Parse(verb.Name, words.Skip(1), verb.Flags);
            if (arguments.Paths.Count < verb.MinPaths || arguments.Paths.Count > verb.MaxPaths)
            {
                throw new SockitException(SockitErrorCode.InvalidArgument, $"usage: {verb.Name} {verb.Usage}");
            }

            if (!Client.IsConnected)
            {
                // The server closed the connection while the user was away (its idle deadline, a restart).
                await _context.Error.WriteLineAsync($"sockit: the connection was closed; reconnecting to {_target.Address}").ConfigureAwait(false);
                await Client.DisposeAsync().ConfigureAwait(false);
                Client = await _target.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }

            result = await verb.Run(arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            await _context.Error.WriteLineAsync($"sockit: {ex.Message}").ConfigureAwait(false);
            result = ExitCode.Usage;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = await CommandRunner.ReportAsync(_context, ex).ConfigureAwait(false);
        }

        FirstFailure = FirstFailure == ExitCode.Ok && result != ExitCode.Cancelled ? result : FirstFailure;
        return true;
    }

    /// <summary>Remote names that complete <paramref name="word"/> (a path), folders with a <c>/</c> after them.</summary>
    public async Task<IReadOnlyList<string>> CompleteRemoteAsync(string word, CancellationToken cancellationToken)
    {
        int slash = word.LastIndexOf('/');
        var folderPart = word[..(slash + 1)];
        var prefix = word[(slash + 1)..];
        var candidates = new List<string>();
        await foreach (var entry in Client.ListAsync(RemotePath.Resolve(RemoteFolder, folderPart.Length == 0 ? "." : folderPart), cancellationToken).ConfigureAwait(false))
        {
            // A name with control characters cannot be typed, and must not be written to the terminal as it is.
            if (entry.Name.StartsWith(prefix, StringComparison.Ordinal) && !Protocol.Text.UntrustedText.ContainsUnsafe(entry.Name))
            {
                candidates.Add(folderPart + entry.Name + (entry.Type == FileTypes.Folder ? "/" : ""));
            }
        }

        return candidates;
    }

    /// <summary>Local names that complete <paramref name="word"/>, folders with a <c>/</c> after them.</summary>
    public IReadOnlyList<string> CompleteLocal(string word)
    {
        int slash = word.LastIndexOf('/');
        var folderPart = word[..(slash + 1)];
        var prefix = word[(slash + 1)..];
        var folder = new DirectoryInfo(Path.GetFullPath(folderPart.Length == 0 ? "." : folderPart, LocalFolder));
        if (!folder.Exists)
        {
            return [];
        }

        return [.. folder.EnumerateFileSystemInfos()
            .Where(entry => entry.Name.StartsWith(prefix, StringComparison.Ordinal) && !Protocol.Text.UntrustedText.ContainsUnsafe(entry.Name))
            .Select(entry => folderPart + entry.Name + (entry is DirectoryInfo ? "/" : ""))
            .Order(StringComparer.Ordinal)];
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();

    private IEnumerable<FtpVerb> CreateVerbs()
    {
        string[] none = [];
        string[] transferFlags = ["r", "f", "q", "restart"];
        yield return new("ls", "[-l] [PATH...]", "list a remote folder (-l: mode, size, time)", ["l"], 0, int.MaxValue, (a, t) =>
            LsCommand.ListAsync(_context, Client, RemoteFolder, a.Paths.Count == 0 ? ["."] : a.Paths, a.Has("l"), t));
        yield return new("cd", "[PATH]", "change the remote folder (no path: the home)", none, 0, 1, ChangeFolderAsync);
        yield return new("pwd", "", "show the remote folder", none, 0, 0, async (_, _) =>
        {
            await _context.Output.WriteLineAsync(EntryFormat.Name(RemoteFolder)).ConfigureAwait(false);
            return ExitCode.Ok;
        });
        yield return new("lcd", "[PATH]", "change the local folder (no path: your home)", none, 0, 1, (a, _) => ChangeLocalFolderAsync(a));
        yield return new("lpwd", "", "show the local folder", none, 0, 0, async (_, _) =>
        {
            await _context.Output.WriteLineAsync(EntryFormat.Name(LocalFolder)).ConfigureAwait(false);
            return ExitCode.Ok;
        });
        yield return new("put", "[-r] [-f] [-q] [--restart] LOCAL... [REMOTE]", "upload files (folders with -r) to the remote folder or REMOTE", transferFlags, 1, int.MaxValue, (a, t) =>
        {
            var (sources, destination) = TransferCommand.Split(a.Paths);
            return Transfer.PutAsync(_context, Client, sources, destination, Choices(a), LocalFolder, RemoteFolder, t);
        });
        yield return new("get", "[-r] [-f] [-q] [--restart] REMOTE... [LOCAL]", "download files (folders with -r) to the local folder or LOCAL", transferFlags, 1, int.MaxValue, (a, t) =>
        {
            var (sources, destination) = TransferCommand.Split(a.Paths);
            return Transfer.GetAsync(_context, Client, sources, destination, Choices(a), LocalFolder, RemoteFolder, t);
        });
        yield return new("mkdir", "[-p] PATH...", "create remote folders (-p: with their parents)", ["p"], 1, int.MaxValue, (a, t) =>
            MkdirCommand.MakeAsync(_context, Client, RemoteFolder, a.Paths, a.Has("p"), t));
        yield return new("rm", "[-r] PATH...", "remove remote files (-r: folders with everything in them)", ["r"], 1, int.MaxValue, (a, t) =>
            RmCommand.RemoveAsync(_context, Client, RemoteFolder, a.Paths, a.Has("r"), t));
        yield return new("mv", "[-f] FROM... TO", "rename, or move into a folder (-f: replace a file)", ["f"], 2, int.MaxValue, (a, t) =>
            MvCommand.MoveAsync(_context, Client, RemoteFolder, a.Paths, a.Has("f"), t));
        yield return new("stat", "PATH...", "describe remote files or folders", none, 1, int.MaxValue, (a, t) =>
            StatCommand.StatAsync(_context, Client, RemoteFolder, a.Paths, t));
        yield return new("df", "", "show the space used, and the quota", none, 0, 0, (_, t) => DfCommand.ShowAsync(_context, Client, t));
        yield return new("help", "[COMMAND]", "list the commands, or say what one does", none, 0, 1, (a, _) => HelpAsync(a));
    }

    private static TransferChoices Choices(FtpArguments arguments) =>
        new(arguments.Has("r"), arguments.Has("f"), arguments.Has("restart"), arguments.Has("q"));

    private async Task<ExitCode> ChangeFolderAsync(FtpArguments arguments, CancellationToken cancellationToken)
    {
        var folder = RemotePath.Resolve(RemoteFolder, arguments.Paths.Count == 0 ? "/" : arguments.Paths[0]);
        var entry = await Client.StatAsync(folder, cancellationToken).ConfigureAwait(false);
        if (entry.Type != FileTypes.Folder)
        {
            throw new SockitException(SockitErrorCode.NotAFolder, $"{EntryFormat.Name(folder)} is not a folder");
        }

        RemoteFolder = folder;
        return ExitCode.Ok;
    }

    private Task<ExitCode> ChangeLocalFolderAsync(FtpArguments arguments)
    {
        var folder = arguments.Paths.Count == 0
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)
            : Path.GetFullPath(arguments.Paths[0], LocalFolder);
        if (!Directory.Exists(folder))
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"{EntryFormat.Name(folder)}: no such local folder");
        }

        LocalFolder = folder;
        return Task.FromResult(ExitCode.Ok);
    }

    private async Task<ExitCode> HelpAsync(FtpArguments arguments)
    {
        IEnumerable<FtpVerb> verbs = arguments.Paths.Count == 0
            ? _verbs.Values
            : _verbs.TryGetValue(arguments.Paths[0], out var one)
                ? [one]
                : throw new SockitException(SockitErrorCode.InvalidArgument, $"unknown command '{EntryFormat.Name(arguments.Paths[0])}'");
        foreach (var verb in verbs)
        {
            await _context.Output.WriteLineAsync($"{$"{verb.Name} {verb.Usage}",-46} {verb.Help}").ConfigureAwait(false);
        }

        if (arguments.Paths.Count == 0)
        {
            await _context.Output.WriteLineAsync($"{"quit",-46} leave (also exit, bye, Ctrl+D)").ConfigureAwait(false);
        }

        return ExitCode.Ok;
    }
}
