using System.CommandLine;
using System.Net;
using Sockit.Client.Auth;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.LocalFiles;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>--user</c>, <c>--password-stdin</c> and <c>--key-file</c>, shared by every client verb, and how they combine with
/// the environment, saved logins and the local login key into the credentials to log in with.
/// </summary>
internal sealed class CredentialOptions
{
    /// <summary>The user name when <c>--user</c> is not given.</summary>
    public const string UserVariable = "SOCKIT_USER";

    /// <summary>The password when neither <c>--password-stdin</c> nor a key is given (for scripts; visible to the process's owner).</summary>
    public const string PasswordVariable = "SOCKIT_PASSWORD";

    /// <summary>The key file when <c>--key-file</c> is not given.</summary>
    public const string KeyFileVariable = "SOCKIT_KEY_FILE";

    public Option<string?> User { get; } = new("--user")
    {
        Description = $"Log in as this user (default: ${UserVariable}); the password is asked for, or read with --password-stdin",
        HelpName = "NAME",
    };

    public Option<bool> PasswordStdin { get; } = new("--password-stdin")
    {
        Description = "Read the password from the first line of standard input",
    };

    public Option<string?> KeyFile { get; } = new("--key-file")
    {
        Description = $"Log in with the key in this file, from 'sockit user key' (default: ${KeyFileVariable})",
        HelpName = "FILE",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(User);
        command.Options.Add(PasswordStdin);
        command.Options.Add(KeyFile);
    }

    /// <summary>The saved-logins file for this invocation.</summary>
    public static SavedLoginStore SavedLogins(CliContext context) =>
        new(Path.Combine(ConfigDirectory.Resolve(context.GetEnvironmentVariable), SavedLoginStore.DefaultFileName));

    /// <summary>
    /// The credentials asked for explicitly: options first, then the environment; <see langword="null"/> for none. A
    /// password to type is asked for later, when the server has answered; that a terminal is there to ask at is checked
    /// now.
    /// </summary>
    public async Task<PendingCredentials?> ResolveExplicitAsync(
        ParseResult parseResult, CliContext context, SockitAddress address, CancellationToken cancellationToken)
    {
        var user = parseResult.GetValue(User) ?? NonEmpty(context.GetEnvironmentVariable(UserVariable));
        var keyFile = parseResult.GetValue(KeyFile) ?? NonEmpty(context.GetEnvironmentVariable(KeyFileVariable));
        if (keyFile is not null)
        {
            var key = KeyCredentialFile.Read(keyFile);
            var name = user ?? key.User ?? throw new SockitException(
                SockitErrorCode.InvalidArgument, $"{keyFile} holds only a key: say whose with --user NAME");
            return PendingCredentials.Known(SockitCredentials.FromKey(name, key.Secret));
        }

        if (parseResult.GetValue(PasswordStdin))
        {
            var name = user ?? throw new SockitException(SockitErrorCode.InvalidArgument, "--password-stdin needs --user NAME");
            return PendingCredentials.Known(
                SockitCredentials.FromPassword(name, await Users.PasswordInput.ReadFromStdinAsync(context, cancellationToken).ConfigureAwait(false)));
        }

        if (user is null)
        {
            return null;
        }

        if (NonEmpty(context.GetEnvironmentVariable(PasswordVariable)) is { } fromEnvironment)
        {
            return PendingCredentials.Known(SockitCredentials.FromPassword(user, fromEnvironment));
        }

        if (context.ReadSecret is not { } readSecret)
        {
            throw new SockitException(
                SockitErrorCode.InvalidArgument, $"no terminal to ask for {user}'s password; pipe it in with --password-stdin");
        }

        return PendingCredentials.AskLater(async cancellationToken =>
        {
            var typed = await readSecret($"Password for {user} at {address}: ", cancellationToken).ConfigureAwait(false);
            return typed.Length == 0
                ? throw new SockitException(SockitErrorCode.InvalidArgument, "the password is empty")
                : SockitCredentials.FromPassword(user, typed);
        });
    }

    /// <summary>
    /// The credentials for a verb that needs a login: explicit ones, else the login saved for this server, else, for a
    /// local endpoint, the key the local server wrote for this OS user.
    /// </summary>
    public async Task<PendingCredentials?> ResolveAsync(
        ParseResult parseResult, CliContext context, SockitAddress address, CancellationToken cancellationToken)
    {
        if (await ResolveExplicitAsync(parseResult, context, address, cancellationToken).ConfigureAwait(false) is { } given)
        {
            return given;
        }

        if (SavedLogins(context).Find(address) is { } saved)
        {
            return PendingCredentials.Known(saved);
        }

        var localFile = Path.Combine(ConfigDirectory.Resolve(context.GetEnvironmentVariable), ConfigDirectory.LocalCredentialsFileName);
        if (IsLocal(address) && File.Exists(localFile))
        {
            var local = KeyCredentialFile.Read(localFile);
            return local.User is null ? null : PendingCredentials.Known(SockitCredentials.FromKey(local.User, local.Secret));
        }

        return null;
    }

    /// <summary>Whether <paramref name="address"/> is on this machine: a Unix socket, a loopback address or <c>localhost</c>.</summary>
    public static bool IsLocal(SockitAddress address) =>
        address.Scheme == AddressScheme.Unix
        || address.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(address.Host, out var ip) && IPAddress.IsLoopback(ip));

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
