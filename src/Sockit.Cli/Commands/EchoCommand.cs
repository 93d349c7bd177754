using System.CommandLine;
using Sockit.Protocol.Addressing;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit echo [MESSAGE...] [--upper] [--server ADDRESS] [--udp] [--timeout SECONDS]</c>.</summary>
internal static class EchoCommand
{
    /// <summary>The tutorial's UDP upper-case echo service.</summary>
    public static readonly SockitAddress UdpDefault = new(AddressScheme.Udp, "127.0.0.1", 9000, string.Empty);

    // An empty line has nothing to echo.
    private const bool SkipEmptyLines = true;

    public static Command Create(CliContext context)
    {
        var message = new Argument<string[]>("message")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "Text to send (words are joined with spaces). Without it, lines are read interactively.",
        };
        var upper = new Option<bool>("--upper", "-u")
        {
            Description = "Ask for the reply in upper case (the UDP echo always upper-cases)",
        };
        var server = new ServerOptions(UdpDefault);
        var command = new Command("echo", "Send text to the echo service and print what comes back.");
        command.Arguments.Add(message);
        command.Options.Add(upper);
        server.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(
            context,
            async token =>
            {
                var words = parseResult.GetValue(message) ?? [];
                return await RunAsync(
                    context,
                    await server.ResolveAsync(parseResult, context, needsLogin: false, token).ConfigureAwait(false),
                    words.Length > 0 ? string.Join(' ', words) : null,
                    parseResult.GetValue(upper),
                    token).ConfigureAwait(false);
            },
            cancellationToken));
        return command;
    }

    private static async Task<ExitCode> RunAsync(
        CliContext context, ServerTarget target, string? message, bool upper, CancellationToken cancellationToken)
    {
        if (!target.IsUdp)
        {
            return await RequestLoop.RunAsync(
                context,
                target,
                message,
                (client, text, token) => client.EchoAsync(text, upper, token),
                SkipEmptyLines,
                cancellationToken).ConfigureAwait(false);
        }

        using var udp = await target.CreateUdpClientAsync(context, cancellationToken).ConfigureAwait(false);
        return await RequestLoop.RunAsync(context, message, udp.RequestAsync, SkipEmptyLines, cancellationToken).ConfigureAwait(false);
    }
}
