namespace Sockit.Client.Files;

/// <summary>
/// Where a download is written until it is verified: a hidden file beside the destination, <c>.NAME.sockit-part</c>,
/// the same pattern the server uses for uploads. Running the same download again resumes from it.
/// </summary>
public static class PartialFile
{
    /// <summary>The suffix of partial files.</summary>
    public const string Suffix = ".sockit-part";

    /// <summary>The partial file of <paramref name="destination"/>.</summary>
    public static string For(string destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        var full = Path.GetFullPath(destination);
        return Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + Suffix);
    }
}
