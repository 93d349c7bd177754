using Sockit.Protocol.Auth;
using System.CommandLine;
using Sockit.Server.Accounts;

namespace Sockit.Cli.Commands.Users;

/// <summary><c>sockit user add|remove|passwd|list|grant|revoke|key</c>: manages the accounts file.</summary>
internal static class UserCommand
{
    public static Command Create(CliContext context)
    {
        var store = new Option<string?>("--store")
        {
            Description = "The users file (default: $SOCKIT_USERS, else $XDG_CONFIG_HOME/sockit/users.json).",
            HelpName = "FILE",
            Recursive = true,
        };
        var command = new Command("user", "Manage accounts: passwords (stored as SCRAM verifiers), permissions, quotas and keys.");
        command.Options.Add(store);
        command.Subcommands.Add(Add(context, store));
        command.Subcommands.Add(Simple(context, store, "remove", "Delete an account.", (users, name) => users.Remove(name), "removed"));
        command.Subcommands.Add(Passwd(context, store));
        command.Subcommands.Add(List(context, store));
        command.Subcommands.Add(Permission(context, store, "grant", "Give permissions (exec, files, chat, admin or all).", (users, name, p) => users.Grant(name, p)));
        command.Subcommands.Add(Permission(context, store, "revoke", "Take permissions away.", (users, name, p) => users.Revoke(name, p)));
        command.Subcommands.Add(Key(context, store));
        return command;
    }

    private static Argument<string> Name() => new("name") { Description = "The user name." };

    private static Option<bool> PasswordStdin() => new("--password-stdin")
    {
        Description = "Read the password from the first line of standard input instead of asking.",
    };

    // More iterations make a stolen users file slower to attack, and every login slower for the client by as much.
    private static Option<int> Iterations() => new("--iterations")
    {
        Description = "SCRAM-SHA-256 iteration count for the password (at least 4096, the default; at most 10000000).",
        HelpName = "N",
        DefaultValueFactory = _ => ScramCredentials.DefaultIterations,
        Validators =
        {
            result =>
            {
                int iterations = result.GetValueOrDefault<int>();
                if (iterations < ScramCredentials.DefaultIterations)
                {
                    result.AddError($"--iterations must be at least {ScramCredentials.DefaultIterations} (RFC 7677)");
                }
                else if (iterations > ScramCredentials.MaxIterations)
                {
                    result.AddError($"--iterations must be at most {ScramCredentials.MaxIterations}: every login computes that many, and clients refuse more");
                }
            },
        },
    };

    private static Command Add(CliContext context, Option<string?> store)
    {
        var name = Name();
        var permissions = new Option<string[]>("--permissions", "-p")
        {
            Description = "Permissions to give: exec, files, chat, admin or all (comma-separated or repeated).",
            HelpName = "LIST",
        };
        var quota = new Option<long?>("--quota") { Description = "Disk quota for the file service, in bytes.", HelpName = "BYTES" };
        var noPassword = new Option<bool>("--no-password") { Description = "Create the account without a password (keys only)." };
        var stdin = PasswordStdin();
        var iterations = Iterations();
        var command = new Command("add", "Create an account.") { name, permissions, quota, noPassword, stdin, iterations };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(context, async token =>
        {
            var users = UserStoreLocation.Open(parse.GetValue(store), context, mayCreate: true);
            var granted = UserStore.ParsePermissions(parse.GetValue(permissions) ?? []);
            var password = parse.GetValue(noPassword) ? null : await PasswordInput.ReadAsync(context, parse.GetValue(stdin), token).ConfigureAwait(false);
            var account = users.Add(parse.GetValue(name)!, password, granted, parse.GetValue(quota), parse.GetValue(iterations));
            await context.Output.WriteLineAsync($"added {account.Name} ({Describe(account.Permissions)}) to {users.Path}").ConfigureAwait(false);
            return ExitCode.Ok;
        }, cancellation));
        return command;
    }

    private static Command Passwd(CliContext context, Option<string?> store)
    {
        var name = Name();
        var stdin = PasswordStdin();
        var iterations = Iterations();
        var command = new Command("passwd", "Set an account's password.") { name, stdin, iterations };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(context, async token =>
        {
            var users = UserStoreLocation.Open(parse.GetValue(store), context);
            // Said before asking for a password, not after it has been typed twice.
            if (users.Find(parse.GetValue(name)!) is null)
            {
                throw UserStore.NoSuchUser(parse.GetValue(name)!);
            }

            users.SetPassword(
                parse.GetValue(name)!,
                await PasswordInput.ReadAsync(context, parse.GetValue(stdin), token).ConfigureAwait(false),
                parse.GetValue(iterations));
            await context.Output.WriteLineAsync($"password set for {parse.GetValue(name)}").ConfigureAwait(false);
            return ExitCode.Ok;
        }, cancellation));
        return command;
    }

    private static Command List(CliContext context, Option<string?> store)
    {
        var command = new Command("list", "Show the accounts (never their secrets); piped, as tab-separated lines under a header.");
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(context, async _ =>
        {
            var users = UserStoreLocation.Open(parse.GetValue(store), context);
            await UserTable.WriteAsync(context, users.Path, users.List()).ConfigureAwait(false);
            return ExitCode.Ok;
        }, cancellation));
        return command;
    }

    private static Command Permission(
        CliContext context, Option<string?> store, string verb, string description, Action<UserStore, string, Permissions> change)
    {
        var name = Name();
        var permissions = new Argument<string[]>("permissions") { Arity = ArgumentArity.OneOrMore, Description = "exec, files, chat, admin or all." };
        var command = new Command(verb, description) { name, permissions };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(context, async _ =>
        {
            var users = UserStoreLocation.Open(parse.GetValue(store), context);
            change(users, parse.GetValue(name)!, UserStore.ParsePermissions(parse.GetValue(permissions)!));
            var account = users.Find(parse.GetValue(name)!)!;
            await context.Output.WriteLineAsync($"{account.Name}: {Describe(account.Permissions)}").ConfigureAwait(false);
            return ExitCode.Ok;
        }, cancellation));
        return command;
    }

    private static Command Key(CliContext context, Option<string?> store)
    {
        var name = Name();
        var revoke = new Option<string?>("--revoke")
        {
            Description = "Withdraw the key with this id (ids are in 'sockit user list') instead of issuing one.",
            HelpName = "ID",
        };
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Write the key to this file, readable only by you, instead of printing it; "
                + "'--key-file FILE' then needs no --user.",
            HelpName = "FILE",
        };
        var force = new Option<bool>("--force") { Description = "With --out: replace the file if it exists." };
        var command = new Command("key", "Issue an HMAC key for scripts (shown once, or written with --out), or withdraw one.")
        {
            name, revoke, output, force,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(revoke) is not null && result.GetValue(output) is not null)
            {
                result.AddError("--revoke and --out do not go together");
            }
        });
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(context, async _ =>
        {
            var users = UserStoreLocation.Open(parse.GetValue(store), context);
            var user = parse.GetValue(name)!;
            if (parse.GetValue(revoke) is { } keyId)
            {
                users.RevokeKey(user, keyId);
                await context.Output.WriteLineAsync($"key {keyId} of {user} revoked").ConfigureAwait(false);
                return ExitCode.Ok;
            }

            if (parse.GetValue(output) is { } path)
            {
                var written = KeyFileOutput.Issue(users, user, path, parse.GetValue(force));
                await context.Output.WriteLineAsync($"key {written.KeyId} for {user} written to {path} (readable only by you)")
                    .ConfigureAwait(false);
                return ExitCode.Ok;
            }

            // Only the key goes to standard output, so that 'sockit user key NAME > FILE' leaves a usable key file.
            var key = users.IssueKey(user);
            await context.Error.WriteLineAsync($"key {key.Id} for {user} (shown once, keep it secret; --out FILE writes it to a private file):")
                .ConfigureAwait(false);
            await context.Output.WriteLineAsync(Convert.ToBase64String(key.Secret)).ConfigureAwait(false);
            return ExitCode.Ok;
        }, cancellation));
        return command;
    }

    private static Command Simple(CliContext context, Option<string?> store, string verb, string description, Action<UserStore, string> change, string done)
    {
        var name = Name();
        var command = new Command(verb, description) { name };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(context, async _ =>
        {
            change(UserStoreLocation.Open(parse.GetValue(store), context), parse.GetValue(name)!);
            await context.Output.WriteLineAsync($"{done} {parse.GetValue(name)}").ConfigureAwait(false);
            return ExitCode.Ok;
        }, cancellation));
        return command;
    }

    /// <summary>Permissions as the commands print them: <c>exec,files</c>, or <c>no permissions</c>.</summary>
    public static string Describe(Permissions permissions) =>
        permissions == Permissions.None ? "no permissions" : permissions.ToString().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal);
}
