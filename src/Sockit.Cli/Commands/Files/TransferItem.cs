namespace Sockit.Cli.Commands.Files;

/// <summary>One file to upload or download.</summary>
/// <param name="Source">The local path (upload) or remote path (download) to read.</param>
/// <param name="Target">The remote path (upload) or local path (download) to write.</param>
/// <param name="Size">Its size in bytes, as known before the transfer.</param>
/// <param name="Label">How progress and errors name it: the path as the user would recognise it.</param>
internal sealed record TransferItem(string Source, string Target, long Size, string Label)
{
    /// <summary>
    /// The label with its control characters escaped. It is a remote name for a download and a name from a local
    /// folder of any origin for an upload, and it goes to the terminal in every progress bar and failure line.
    /// </summary>
    public string Label { get; } = EntryFormat.Name(Label);
}
