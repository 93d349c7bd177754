using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Text;

namespace Sockit.Server.Files.Legacy;

/// <summary>
/// The header the tutorials' upload client sends before a file (tutorial 003): <c>struct.pack('i', len(head_bytes))</c>,
/// then <c>head_bytes</c>, <c>json.dumps({'file_size': N, 'file_name': NAME, 'md5': HEX})</c> in UTF-8. Other keys are
/// ignored (the tutorials' own headers carry extra ones); these three are required.
/// </summary>
/// <param name="FileName">The name the client gave, not yet checked as a name.</param>
/// <param name="FileSize">How many bytes of file follow the header: a whole number, never negative.</param>
/// <param name="Md5">The file's MD5 the client computed, 32 lower-case hex digits.</param>
internal sealed record LegacyUploadHeader(string FileName, long FileSize, string Md5)
{
    /// <summary>Bytes of the length that comes first, <c>struct.pack('i')</c>.</summary>
    public const int PrefixLength = sizeof(int);

    /// <summary>
    /// The longest header accepted. Ample for the three fields (a name is at most 255 bytes, six times that once
    /// <c>json.dumps</c> has escaped it), and checked on the prefix alone, before anything waits for or holds the header.
    /// </summary>
    public const int MaxLength = 8192;

    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 8, AllowDuplicateProperties = false };

    /// <summary>The header's length from the 4 bytes in front of it, which must be 1 to <see cref="MaxLength"/>.</summary>
    /// <remarks>
    /// <c>struct.pack('i')</c> packs in the machine's own byte order; the tutorials' machines (x86, ARM) are little-endian,
    /// so the prefix is always read as little-endian, whatever the server runs on.
    /// </remarks>
    /// <exception cref="SockitException"><c>invalid_header_length</c> for 0 or less, <c>header_too_large</c> past the limit.</exception>
    public static int ReadLength(ReadOnlySpan<byte> prefix)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length <= 0)
        {
            throw new SockitException(
                SockitErrorCode.InvalidHeaderLength, Invariant($"the header length {length}{AsText(prefix)} is not a length; send struct.pack('i', len(head_bytes)) first"));
        }

        return length <= MaxLength
            ? length
            : throw new SockitException(
                SockitErrorCode.HeaderTooLarge, Invariant($"the header length {length}{AsText(prefix)} is more than {MaxLength} bytes"));
    }

    /// <summary>Reads the header's JSON.</summary>
    /// <exception cref="SockitException">
    /// <c>invalid_header</c> when it is not UTF-8 JSON (or repeats a key), <c>header_not_object</c> when it is not an object,
    /// <c>invalid_field</c> when a field is missing or of the wrong kind.
    /// </exception>
    public static LegacyUploadHeader Parse(ReadOnlySequence<byte> json)
    {
        // The reader checks UTF-8 only where it looks: invalid bytes inside a string would fail later, when it is read.
        if (!Utf8.IsValid(json.IsSingleSegment ? json.FirstSpan : json.ToArray()))
        {
            throw new SockitException(SockitErrorCode.InvalidHeader, "the header is not UTF-8 JSON: it holds bytes that are not UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Strict);
        }
        catch (JsonException ex)
        {
            throw new SockitException(SockitErrorCode.InvalidHeader, "the header is not UTF-8 JSON: " + UntrustedText.Escape(ex.Message));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SockitException(SockitErrorCode.HeaderNotObject, "the header is not a JSON object");
            }

            var name = root.TryGetProperty("file_name", out var nameField) && nameField.ValueKind == JsonValueKind.String
                ? TextOf(nameField) ?? throw new SockitException(
                    SockitErrorCode.InvalidName,
                    $"file_name {UntrustedText.Escape(nameField.GetRawText())} cannot be stored: it holds an escaped lone surrogate (\\ud800 to \\udfff without its pair), a character with no UTF-8 form; rename the file to a name in UTF-8")
                : throw Field("file_name must be the file's name, a string");
            var size = root.TryGetProperty("file_size", out var sizeField) && sizeField.ValueKind == JsonValueKind.Number
                && sizeField.TryGetInt64(out long number) && number >= 0
                ? number
                : throw Field("file_size must be the file's size in bytes, a whole number from 0 up");
            var md5 = root.TryGetProperty("md5", out var md5Field) && md5Field.ValueKind == JsonValueKind.String
                && TextOf(md5Field) is { Length: 32 } hex && hex.All(char.IsAsciiHexDigit)
                ? hex.ToLowerInvariant()
                : throw Field("md5 must be the file's MD5, 32 hex digits (hashlib.md5(data).hexdigest())");
            return new LegacyUploadHeader(name, size, md5);
        }
    }

    /// <summary>A JSON string's text, or <see langword="null"/> when it holds an escaped lone surrogate (<c>"\ud800"</c>): valid JSON, of which the reader will not make a string.</summary>
    private static string? TextOf(JsonElement text)
    {
        try
        {
            return text.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static SockitException Field(string message) => new(SockitErrorCode.InvalidField, message);

    // An HTTP request or a line of text sent here shows as a huge length; its letters say what it was.
    private static string AsText(ReadOnlySpan<byte> prefix) =>
        prefix.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E) ? string.Empty : $" (the text '{Encoding.ASCII.GetString(prefix)}')";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
