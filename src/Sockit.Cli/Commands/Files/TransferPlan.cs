namespace Sockit.Cli.Commands.Files;

/// <summary>
/// What a <c>put</c> or <c>get</c> will do, worked out before the first byte moves: the folders to create (parents
/// before children), the files, and the sources that cannot be transferred at all (each with its reason).
/// </summary>
internal sealed class TransferPlan
{
    /// <summary>Folders to create at the destination, each after its parent.</summary>
    public List<string> Folders { get; } = [];

    public List<TransferItem> Files { get; } = [];

    /// <summary>Sources refused while planning (missing, a folder without <c>-r</c>), with what went wrong.</summary>
    public List<(string Label, Exception Problem)> Problems { get; } = [];

    /// <summary>Things passed over on purpose (links, devices), with why: worth a line, not a failure.</summary>
    public List<string> Skipped { get; } = [];

    public long TotalBytes => Files.Sum(file => file.Size);
}
