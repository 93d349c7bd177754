using System.Text;
using System.Text.Json;
using Sockit.Protocol.Errors;

namespace Sockit.LocalFiles;

/// <summary>
/// Reads and writes key files: either the base64 key alone on one line (as <c>sockit user key</c> prints it), or a
/// JSON object <c>{"user": ..., "key_id": ..., "key": base64}</c>, which is what the server writes for local login.
/// </summary>
public static class KeyCredentialFile
{
    /// <summary>Reads the key file at <paramref name="path"/>.</summary>
    /// <exception cref="SockitException">
    /// Code <c>invalid_argument</c>: the file is missing, unreadable, readable by others, or holds no valid key.
    /// </exception>
    public static KeyCredential Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Invalid($"cannot read the key file {path}: {ex.Message}", ex);
        }

        if (OwnerOnlyFile.IsExposed(path))
        {
            throw Invalid($"the key file {path} can be read by other users; make it private first (chmod 600 {path})", null);
        }

        return text.StartsWith('{') ? ParseJson(text, path) : new KeyCredential(null, null, DecodeKey(text, path));
    }

    /// <summary>Writes <paramref name="credential"/> as a JSON key file that only its owner can read.</summary>
    public static void Write(string path, KeyCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        OwnerOnlyFile.WriteAtomically(path, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
            if (credential.User is not null)
            {
                writer.WriteString("user", credential.User);
            }

            if (credential.KeyId is not null)
            {
                writer.WriteString("key_id", credential.KeyId);
            }

            writer.WriteBase64String("key", credential.Secret);
            writer.WriteEndObject();
        });
    }

    private static KeyCredential ParseJson(string text, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            string? user = root.TryGetProperty("user", out var u) ? u.GetString() : null;
            string? keyId = root.TryGetProperty("key_id", out var id) ? id.GetString() : null;
            var key = root.TryGetProperty("key", out var k) ? k.GetString() : null;
            return new KeyCredential(user, keyId, DecodeKey(key ?? "", path));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw Invalid($"the key file {path} is not valid: {ex.Message}", ex);
        }
    }

    private static byte[] DecodeKey(string base64, string path)
    {
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out int length) || length < 16)
        {
            throw Invalid($"the key file {path} holds no key: expected the base64 key that 'sockit user key' printed", null);
        }

        return bytes[..length];
    }

    private static SockitException Invalid(string message, Exception? inner) =>
        new(SockitErrorCode.InvalidArgument, message, inner);
}
