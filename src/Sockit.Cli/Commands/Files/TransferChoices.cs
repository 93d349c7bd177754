namespace Sockit.Cli.Commands.Files;

/// <summary>How a <c>put</c> or <c>get</c> goes, from its options (or an ftp command's flags).</summary>
internal sealed record TransferChoices(bool Recursive, bool Overwrite, bool Restart, bool Quiet);
