namespace Sockit.Server.Files.Legacy;

/// <summary>How far one legacy upload got, for its log line.</summary>
internal sealed class LegacyUploadProgress
{
    /// <summary>Bytes of the file received and written.</summary>
    public long Received { get; set; }

    /// <summary>How the MD5 check went: <c>ok</c>, <c>failed</c>, or <c>-</c> when it was not reached.</summary>
    public string Md5Check { get; set; } = "-";
}
