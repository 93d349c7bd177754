using System.Text.RegularExpressions;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Text;

namespace Sockit.Cli;

/// <summary>
/// Runs a command's body and turns every way it can fail into one line on standard error and an
/// <see cref="ExitCode"/>. The only place exceptions become exit codes.
/// </summary>
internal static partial class CommandRunner
{
    private static readonly Dictionary<SockitErrorCode, ExitCode> ExitCodes = new()
    {
        [SockitErrorCode.ConnectionRefused] = ExitCode.ConnectionRefused,
        [SockitErrorCode.Timeout] = ExitCode.Timeout,
        [SockitErrorCode.IdleTimeout] = ExitCode.Timeout,
        [SockitErrorCode.HeaderTimeout] = ExitCode.Timeout,
        [SockitErrorCode.WriteTimeout] = ExitCode.Timeout,
        [SockitErrorCode.InvalidAddress] = ExitCode.InvalidAddress,
        [SockitErrorCode.HostNotFound] = ExitCode.HostNotFound,
        [SockitErrorCode.ConnectionClosed] = ExitCode.NetworkError,
        [SockitErrorCode.NetworkError] = ExitCode.NetworkError,
        [SockitErrorCode.AuthFailed] = ExitCode.AuthFailed,
        [SockitErrorCode.AuthLocked] = ExitCode.AuthFailed,
        [SockitErrorCode.Unauthenticated] = ExitCode.AuthFailed,
        [SockitErrorCode.Forbidden] = ExitCode.AuthFailed,
        [SockitErrorCode.LoginTimeout] = ExitCode.AuthFailed,
        [SockitErrorCode.TlsFailed] = ExitCode.TlsFailed,
        [SockitErrorCode.CertificateUntrusted] = ExitCode.TlsFailed,
        [SockitErrorCode.CertificateChanged] = ExitCode.TlsFailed,
        [SockitErrorCode.CertificateExpired] = ExitCode.TlsFailed,

        // Raised locally, before anything is sent: the user's input does not fit (e.g. an oversized datagram).
        [SockitErrorCode.InvalidArgument] = ExitCode.Usage,
        [SockitErrorCode.HeaderTooLarge] = ExitCode.Usage,
    };

    /// <summary>Runs <paramref name="body"/>; returns its exit code, or reports its failure and returns that code.</summary>
    public static async Task<int> RunAsync(
        CliContext context, Func<CancellationToken, Task<ExitCode>> body, CancellationToken cancellationToken)
    {
        try
        {
            return (int)await body(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested || ex is PromptCancelledException)
        {
            await context.Error.WriteLineAsync("sockit: cancelled").ConfigureAwait(false);
            return (int)ExitCode.Cancelled;
        }
        catch (OutputClosedException)
        {
            // Nothing to say: the reader has what it wanted (head), and filters that SIGPIPE ends say nothing either.
            return (int)ExitCode.OutputClosed;
        }
        catch (Exception ex)
        {
            return (int)await ReportAsync(context, ex).ConfigureAwait(false);
        }
    }

    /// <summary>Writes <paramref name="exception"/> as one <c>sockit: ...</c> line and returns its exit code.</summary>
    public static async Task<ExitCode> ReportAsync(CliContext context, Exception exception)
    {
        await context.Error.WriteLineAsync("sockit: " + Describe(exception)).ConfigureAwait(false);
        return ExitCodeFor(exception);
    }

    /// <summary>
    /// What <paramref name="exception"/> means to a user, in one line without the <c>sockit: </c> prefix. A server's
    /// message is its own text, so control characters in it are escaped rather than sent to the terminal.
    /// </summary>
    public static string Describe(Exception exception) => UntrustedText.Escape(
        OneLine(exception switch
        {
            SockitRemoteException remote => $"server error ({remote.Code}): {remote.Message}",
            SockitProtocolException protocol => $"protocol error ({protocol.Code}): {protocol.Message}",
            SockitException sockit => sockit.Message,

            // The client library's word for a server that lacks a feature (protocol 1 has no remote commands).
            NotSupportedException notSupported => notSupported.Message,
            _ => $"unexpected error: {exception.Message} ({exception.GetType().Name})",
        }),
        UntrustedText.MaxMessageLength);

    /// <summary>The exit code for a failure.</summary>
    public static ExitCode ExitCodeFor(Exception exception) => exception switch
    {
        // The server's own error codes are its business; to a script they all mean "the server said no", except that
        // a refused login or permission is worth telling apart.
        SockitRemoteException remote => ExitCodes.GetValueOrDefault(remote.Code) == ExitCode.AuthFailed ? ExitCode.AuthFailed : ExitCode.ServerError,
        SockitProtocolException => ExitCode.ProtocolError,
        SockitException sockit => ExitCodes.GetValueOrDefault(sockit.Code, ExitCode.Failure),
        NotSupportedException => ExitCode.ServerError,
        _ => ExitCode.Failure,
    };

    /// <summary>Folds runs of white space (a server's multi-line text, say) so a report stays one line.</summary>
    public static string OneLine(string text) =>
        WhiteSpace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
