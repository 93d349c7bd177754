namespace Sockit.Cli.Commands.Files;

/// <summary>One command of <c>sockit ftp</c>.</summary>
/// <param name="Name">What is typed.</param>
/// <param name="Usage">Its arguments, for <c>help</c>.</param>
/// <param name="Help">What it does, in one line.</param>
/// <param name="Flags">The flags it takes (letters, or <c>restart</c>).</param>
/// <param name="MinPaths">How many paths it needs.</param>
/// <param name="MaxPaths">How many paths it takes at most.</param>
/// <param name="Run">Does it.</param>
internal sealed record FtpVerb(
    string Name,
    string Usage,
    string Help,
    string[] Flags,
    int MinPaths,
    int MaxPaths,
    Func<FtpArguments, CancellationToken, Task<ExitCode>> Run);
