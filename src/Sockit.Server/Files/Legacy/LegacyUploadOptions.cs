using Sockit.Server.Hosting.Connections;

namespace Sockit.Server.Files.Legacy;

/// <summary>
/// The listener for the tutorials' own upload client (<c>Sockit:Files:Legacy</c>): a 4-byte length, a JSON header with
/// <c>file_name</c>, <c>file_size</c> and <c>md5</c>, then the file, stored in one folder. Its clients cannot log in, so
/// it binds only to loopback unless it has an HMAC key for the tutorials' challenge.
/// </summary>
public sealed class LegacyUploadOptions : ILegacyListenerOptions
{
    /// <summary>The name of the default folder inside the files data root: no account can have it, since a user name cannot hold parentheses.</summary>
    public const string DefaultFolderName = "(legacy-uploads)";

    /// <summary>Where to listen (<c>tcp://127.0.0.1:8088</c>), or <see langword="null"/> for no listener (the default).</summary>
    public string? Address { get; set; }

    /// <summary>
    /// The shared key of the tutorials' client-legitimacy check, as text (UTF-8 bytes, as the tutorials' <c>secret_key</c>);
    /// without one only loopback addresses may be bound.
    /// </summary>
    public string? HmacKey { get; set; }

    /// <summary>The challenge's digest: <c>md5</c> (Python's old <c>hmac.new</c> default) or <c>sha256</c>.</summary>
    public string HmacDigest { get; set; } = "md5";

    /// <summary>
    /// The folder uploads are stored in, created owner-only when missing; <see langword="null"/> for
    /// <see cref="DefaultFolderName"/> inside the files data root (<see cref="FilesOptions.DataRoot"/>).
    /// </summary>
    public string? Folder { get; set; }

    /// <summary>The largest file a client may upload; a header that announces more is refused before any byte is stored.</summary>
    public long MaxFileSize { get; set; } = 1024L * 1024 * 1024;

    /// <summary>The folder to use: <see cref="Folder"/> as a full path, or the default inside <paramref name="files"/>' data root.</summary>
    public string ResolveFolder(FilesOptions files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return string.IsNullOrEmpty(Folder)
            ? Path.Combine(files.ResolveDataRoot(), DefaultFolderName)
            : Path.TrimEndingDirectorySeparator(Path.GetFullPath(Folder));
    }
}
