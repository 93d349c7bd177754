using System.Text.Json;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;
using Sockit.LocalFiles;

namespace Sockit.Client.Auth;

/// <summary>
/// Logins saved per server, in a file only its owner can read. A password login is saved as the SCRAM keys derived
/// from it, never as the password: they log in to that account on that server until its password changes.
/// </summary>
public sealed class SavedLoginStore
{
    /// <summary>The file's name in the config folder.</summary>
    public const string DefaultFileName = "logins.json";

    /// <summary>Uses the file at <paramref name="path"/> (created on the first save).</summary>
    public SavedLoginStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The key logins are saved under: the address as the client connects to it.</summary>
    public static string KeyFor(SockitAddress address) => address.ToString();

    /// <summary>The login saved for <paramref name="address"/>, or <see langword="null"/>.</summary>
    /// <exception cref="SockitException">The file is damaged or readable by others (<c>invalid_argument</c>).</exception>
    public SockitCredentials? Find(SockitAddress address)
    {
        if (!Read().Logins.TryGetValue(KeyFor(address), out var saved))
        {
            return null;
        }

        return saved switch
        {
            { Key: { } key } => SockitCredentials.FromKey(saved.User, key),
            { Salt: { } salt, ClientKey: { } clientKey, ServerKey: { } serverKey } =>
                SockitCredentials.FromSavedKeys(saved.User, new ScramClientKeys(salt, saved.Iterations, clientKey, serverKey)),
            _ => throw new SockitException(SockitErrorCode.InvalidArgument, $"{Path}: the login saved for {KeyFor(address)} is incomplete; log in again"),
        };
    }

    /// <summary>
    /// Saves the login <paramref name="client"/> just made for its server, replacing any other: a key as it is, a
    /// password as the keys derived from it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The client is not logged in with <paramref name="credentials"/>.</exception>
    public void Save(SockitClient client, SockitCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(credentials);
        if (client.User is null)
        {
            throw new InvalidOperationException("only a login that succeeded can be saved");
        }

        var saved = new SavedLogin { User = credentials.User, Mechanism = credentials.Mechanism };
        if (credentials.Key is { } key)
        {
            saved.Key = key;
        }
        else
        {
            var keys = client.DerivedKeys ?? throw new InvalidOperationException("the client has no keys from a password login to save");
            saved.Salt = keys.Salt;
            saved.Iterations = keys.Iterations;
            saved.ClientKey = keys.ClientKey;
            saved.ServerKey = keys.ServerKey;
        }

        Change(file => file.Logins[KeyFor(client.Address)] = saved);
    }

    /// <summary>Forgets the login for <paramref name="address"/>; <see langword="false"/> when there was none.</summary>
    public bool Remove(SockitAddress address)
    {
        bool removed = false;
        Change(file => removed = file.Logins.Remove(KeyFor(address)));
        return removed;
    }

    private SavedLoginsFile Read()
    {
        if (!File.Exists(Path))
        {
            return new SavedLoginsFile();
        }

        if (OwnerOnlyFile.IsExposed(Path))
        {
            throw new SockitException(
                SockitErrorCode.InvalidArgument, $"{Path} can be read by other users; make it private first (chmod 600 {Path})");
        }

        try
        {
            using var stream = File.OpenRead(Path);
            var file = JsonSerializer.Deserialize(stream, SavedLoginsJsonContext.Default.SavedLoginsFile) ?? new SavedLoginsFile();
            return file.Version == 1
                ? file
                : throw new SockitException(SockitErrorCode.InvalidArgument, $"{Path} is version {file.Version}; this Sockit reads version 1");
        }
        catch (JsonException ex)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"{Path} is not a valid saved-logins file: {ex.Message}", ex);
        }
    }

    private void Change(Action<SavedLoginsFile> change)
    {
        var file = Read();
        change(file);
        OwnerOnlyFile.WriteAtomically(Path, stream => JsonSerializer.Serialize(stream, file, SavedLoginsJsonContext.Default.SavedLoginsFile));
    }
}
