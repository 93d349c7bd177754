using Sockit.Protocol.Errors;
using Sockit.Protocol.Files;
using Sockit.Protocol.Framing;
using Sockit.Server.Sessions;

namespace Sockit.Server.Files;

/// <summary>
/// What a streamed upload's <c>end</c> frame says: the file's SHA-256, for a client that hashed while it sent. It is
/// read on the connection's read loop before the input's end reaches the upload, so the upload sees it once its input
/// has ended.
/// </summary>
internal sealed class UploadTrailer
{
    private string? _sha256;
    private bool _malformed;

    private UploadTrailer()
    {
    }

    /// <summary>The <c>sha256</c> of the end frame, or null when it had none (or the input ended without one).</summary>
    /// <exception cref="SockitException">The end frame's <c>sha256</c> was not a string.</exception>
    public string? Sha256 => _malformed
        ? throw new SockitException(SockitErrorCode.InvalidArgument, "the end frame's sha256 must be a string of 64 hex digits")
        : _sha256;

    /// <summary>Starts listening for <paramref name="request"/>'s end frame.</summary>
    public static UploadTrailer Listen(SockitRequest request)
    {
        var trailer = new UploadTrailer();
        request.OnInputEnd(trailer.Read);
        return trailer;
    }

    private void Read(FrameHead head)
    {
        try
        {
            _sha256 = head.Deserialize(FilesJsonContext.Default.PutEnd).Sha256;
        }
        catch (SockitProtocolException)
        {
            _malformed = true;
        }
    }
}
