using Sockit.Server.Files.Jail;

namespace Sockit.Server.Files.Legacy;

/// <summary>
/// The folder the legacy upload listener stores in, opened as a home is: a <see cref="HomeJail"/> whose data root is
/// the folder's parent and whose user name is the folder's own name, so nothing done through it can leave the folder.
/// </summary>
internal sealed class LegacyUploadFolder
{
    private readonly string _parent;
    private readonly string _name;

    /// <summary>The folder of <paramref name="options"/>, resolved against <paramref name="files"/>' data root.</summary>
    public LegacyUploadFolder(LegacyUploadOptions options, FilesOptions files)
    {
        ArgumentNullException.ThrowIfNull(options);
        Path = options.ResolveFolder(files);

        // A folder at the root of the file system has no parent; the configuration refuses it before this is built.
        _parent = System.IO.Path.GetDirectoryName(Path) ?? throw new ArgumentException("the folder cannot be the root", nameof(options));
        _name = System.IO.Path.GetFileName(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens the folder, creating it (owner-only) and its parents when missing. The folder itself must not be a link.
    /// The caller disposes it.
    /// </summary>
    /// <exception cref="Protocol.Errors.SockitException">It cannot be created or opened; the code says why.</exception>
    public HomeJail Open() => HomeJail.Open(_parent, _name);
}
