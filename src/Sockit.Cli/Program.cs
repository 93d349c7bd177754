using Sockit.Cli;
using Sockit.Cli.Commands.Serve;

ServeRestart.RestartIfNeeded(args);
return await SockitCommandLine.InvokeAsync(args, CliContext.FromConsole()).ConfigureAwait(false);
