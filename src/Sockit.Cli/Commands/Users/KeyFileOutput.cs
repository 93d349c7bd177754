using Sockit.Protocol.Errors;
using Sockit.Server.Accounts;
using Sockit.LocalFiles;

namespace Sockit.Cli.Commands.Users;

/// <summary><c>sockit user key NAME --out FILE</c>: a new key straight into a key file that only its owner can read.</summary>
internal static class KeyFileOutput
{
    /// <summary>
    /// Issues a key for <paramref name="user"/> and writes it to <paramref name="path"/> (mode 0600, replaced
    /// atomically) as JSON with the user and the key's id. A key whose file cannot be written is withdrawn again.
    /// </summary>
    /// <exception cref="SockitException">
    /// <c>invalid_argument</c>: the file exists and <paramref name="replace"/> is not set, the user does not exist, or the
    /// file cannot be written.
    /// </exception>
    public static KeyCredential Issue(UserStore users, string user, string path, bool replace)
    {
        // Checked before the key is issued, so a refusal changes nothing.
        if (!replace && (File.Exists(path) || Directory.Exists(path)))
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"{path} already exists; --force replaces it");
        }

        var key = users.IssueKey(user);
        var credential = new KeyCredential(user, key.Id, key.Secret);
        try
        {
            KeyCredentialFile.Write(path, credential);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            users.RevokeKey(user, key.Id);
            throw new SockitException(SockitErrorCode.InvalidArgument, $"cannot write {path}: {ex.Message.TrimEnd('.')} (no key was issued)", ex);
        }

        return credential;
    }
}
