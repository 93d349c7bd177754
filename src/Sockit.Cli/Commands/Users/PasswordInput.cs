using Sockit.Protocol.Errors;

namespace Sockit.Cli.Commands.Users;

/// <summary>Reads a new password: from standard input for scripts, or typed twice, unechoed, at a terminal.</summary>
internal static class PasswordInput
{
    public static async Task<string> ReadAsync(CliContext context, bool fromStdin, CancellationToken cancellationToken)
    {
        if (fromStdin)
        {
            return await ReadFromStdinAsync(context, cancellationToken).ConfigureAwait(false);
        }

        if (context.ReadSecret is not { } readSecret)
        {
            // No terminal to type at and no --password-stdin: asking would hang a script.
            throw new SockitException(SockitErrorCode.InvalidArgument, "no terminal to ask for a password; pipe it in with --password-stdin");
        }

        var first = await readSecret("Password: ", cancellationToken).ConfigureAwait(false);
        var second = await readSecret("Again: ", cancellationToken).ConfigureAwait(false);
        if (first != second)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, "the two passwords differ");
        }

        return first.Length == 0 ? throw new SockitException(SockitErrorCode.InvalidArgument, "the password is empty") : first;
    }

    /// <summary>The first line of standard input, for <c>--password-stdin</c>; an empty one is refused.</summary>
    public static async Task<string> ReadFromStdinAsync(CliContext context, CancellationToken cancellationToken)
    {
        var line = await context.Input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        return string.IsNullOrEmpty(line)
            ? throw new SockitException(SockitErrorCode.InvalidArgument, "--password-stdin read an empty password")
            : line;
    }
}
