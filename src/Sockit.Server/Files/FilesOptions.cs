using Sockit.Server.Files.Legacy;

namespace Sockit.Server.Files;

/// <summary>The file service: where homes live and what an upload may send whole, bound from <c>Sockit:Files</c>.</summary>
public sealed class FilesOptions
{
    /// <summary>Whether users with the <c>files</c> permission may use the file service; <see langword="false"/> refuses it with <c>forbidden</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The folder under which each account gets its home (<c>DataRoot/NAME</c>, created on first use, owner-only).
    /// Default: <c>$XDG_DATA_HOME/sockit/homes</c>, else <c>~/.local/share/sockit/homes</c>.
    /// </summary>
    public string? DataRoot { get; set; }

    /// <summary>The largest file an upload may carry whole in its request body; larger ones stream as input.</summary>
    public int MaxWholeUploadLength { get; set; } = 1024 * 1024;

    /// <summary>
    /// The most uploads and downloads in progress at once on the whole server; past it, <c>server_busy</c>. Lowered at
    /// start when the open-file limit leaves too few descriptors for them (each holds two).
    /// </summary>
    public int MaxTransfers { get; set; } = 128;

    /// <summary>
    /// The most uploads and downloads one user may have in progress at once, on all their connections; past it,
    /// <c>server_busy</c>. A quarter of <see cref="MaxTransfers"/>'s default: one <c>put -r</c> (32 files in flight) runs
    /// at full width, and no single account can hold every slot.
    /// </summary>
    public int MaxTransfersPerUser { get; set; } = 32;

    /// <summary>
    /// How much of one streamed upload may be on its way at once: sent by the client, not yet written out here. The
    /// client is granted more each time half of it has been written, so a larger window means fewer grants, each of which
    /// wakes both ends.
    /// </summary>
    public int UploadWindow { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The most that all streamed uploads together may hold in their <see cref="UploadWindow"/>s at once. An upload that
    /// finds it spent runs with the connection's input window instead.
    /// </summary>
    public long UploadWindowBudget { get; set; } = 128L * 1024 * 1024;

    /// <summary>The tutorials' upload protocol on a listener of its own, off unless given an address (<c>Sockit:Files:Legacy</c>).</summary>
    public LegacyUploadOptions Legacy { get; } = new();

    /// <summary>The data root to use: <see cref="DataRoot"/>, or the default.</summary>
    public string ResolveDataRoot()
    {
        if (!string.IsNullOrEmpty(DataRoot))
        {
            return Path.GetFullPath(DataRoot);
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(dataHome) || !Path.IsPathRooted(dataHome))
        {
            dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(dataHome, "sockit", "homes");
    }
}
