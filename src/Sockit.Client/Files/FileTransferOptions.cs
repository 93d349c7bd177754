namespace Sockit.Client.Files;

/// <summary>How <see cref="SockitClient.UploadFileAsync"/> and <see cref="SockitClient.DownloadFileAsync"/> transfer a file.</summary>
public sealed record FileTransferOptions
{
    /// <summary>Files up to this size go whole in one request (one frame, no round trip before the bytes).</summary>
    public const int SmallFileLength = 1024 * 1024;

    /// <summary>Replace an existing file at the destination; otherwise the transfer fails with <c>already_exists</c>.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Throw away what an interrupted transfer left, instead of resuming it.</summary>
    public bool Restart { get; init; }

    /// <summary>How much file data may be on its way ahead of what the receiver has taken.</summary>
    public int Window { get; init; } = 4 * 1024 * 1024;

    /// <summary>Told the number of bytes of the file that are done, as they are done.</summary>
    public IProgress<long>? Progress { get; init; }
}
