using System.CommandLine;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Text;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit time [FORMAT] [--server ADDRESS] [--udp] [--timeout SECONDS]</c>.</summary>
internal static class TimeCommand
{
    /// <summary>The tutorial's UDP time service.</summary>
    public static readonly SockitAddress UdpDefault = new(AddressScheme.Udp, "127.0.0.1", 9002, string.Empty);

    // The UDP time service has no frames to carry an error; it answers with text that starts like this.
    private const string UdpErrorPrefix = "error: ";

    // An empty line asks for the server's default format.
    private const bool SkipEmptyLines = false;

    public static Command Create(CliContext context)
    {
        var format = new Argument<string?>("format")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "A strftime format such as %H:%M (\"\" for the server's default, %Y-%m-%d %X). "
                + "Without it, formats are read interactively; an empty line asks for the default.",
        };
        var server = new ServerOptions(UdpDefault);
        var command = new Command("time", "Ask the server for its local time.");
        command.Arguments.Add(format);
        server.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(
            context,
            async token => await RunAsync(
                context,
                await server.ResolveAsync(parseResult, context, needsLogin: false, token).ConfigureAwait(false),
                parseResult.GetValue(format),
                token).ConfigureAwait(false),
            cancellationToken));
        return command;
    }

    private static async Task<ExitCode> RunAsync(
        CliContext context, ServerTarget target, string? format, CancellationToken cancellationToken)
    {
        if (!target.IsUdp)
        {
            return await RequestLoop.RunAsync(
                context,
                target,
                format,
                async (client, text, token) => Shown(await client.TimeAsync(text, token).ConfigureAwait(false)),
                SkipEmptyLines,
                cancellationToken)
                .ConfigureAwait(false);
        }

        using var udp = await target.CreateUdpClientAsync(context, cancellationToken).ConfigureAwait(false);
        return await RequestLoop.RunAsync(
            context,
            format,
            async (text, token) => CheckUdpReply(await udp.RequestAsync(text, token).ConfigureAwait(false)),
            SkipEmptyLines,
            cancellationToken).ConfigureAwait(false);
    }

    private static string CheckUdpReply(string reply) =>
        reply.StartsWith(UdpErrorPrefix, StringComparison.Ordinal)
            ? throw new SockitRemoteException(SockitErrorCode.InvalidFormat, reply[UdpErrorPrefix.Length..])
            : Shown(reply);

    // The time is the server's text, so a hostile server could write terminal escapes through it: its control characters
    // are escaped, as in names from the server, and never cut. An echo reply is the user's own data and stays as it came.
    private static string Shown(string time) => UntrustedText.Escape(time, int.MaxValue);
}
