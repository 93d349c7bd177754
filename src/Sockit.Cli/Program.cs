using Sockit.Cli;

return await SockitCommandLine.InvokeAsync(args, CliContext.FromConsole()).ConfigureAwait(false);
