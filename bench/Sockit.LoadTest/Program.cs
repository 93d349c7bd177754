using Sockit.LoadTest.Children;
using Sockit.LoadTest.Client;
using Sockit.LoadTest.Servers;

namespace Sockit.LoadTest;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}\n\n{LoadOptions.Usage}").ConfigureAwait(false);
            return 2;
        }

        if (options.Help)
        {
            await Console.Out.WriteLineAsync(LoadOptions.Usage).ConfigureAwait(false);
            return 0;
        }

        if (options.ServeSockit)
        {
            return await SockitServeMode.RunAsync().ConfigureAwait(false);
        }

        if (options.ServeSockitTls)
        {
            return await SockitServeMode.RunAsync(tls: true).ConfigureAwait(false);
        }

        if (options.TlsCompare)
        {
            return await TlsCompareRun.RunAsync(options).ConfigureAwait(false);
        }

        if (options.ServeRaw)
        {
            return await RawServeMode.RunAsync().ConfigureAwait(false);
        }

        return await RunClientAsync(options).ConfigureAwait(false);
    }

    private static async Task<int> RunClientAsync(LoadOptions options)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C ends the run cleanly (children stopped, nothing printed half); a second one now.
            if (!cancel.IsCancellationRequested)
            {
                e.Cancel = true;
                cancel.Cancel();
                return;
            }

            ChildRegistry.KillAll();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildRegistry.KillAll();

        int failures = 0;
        try
        {
            if (options.Burst)
            {
                return await BurstRun.RunAsync(options, cancel.Token).ConfigureAwait(false);
            }

            if (options.Exec)
            {
                return await ExecRun.RunAsync(options, cancel.Token).ConfigureAwait(false);
            }

            if (options.Mixed)
            {
                return await MixedRun.RunAsync(options, cancel.Token).ConfigureAwait(false);
            }

            for (int round = 0; round < options.Repeat; round++)
            {
                foreach (var target in options.Targets)
                {
                    string line;
                    if (options.Idle > 0)
                    {
                        line = await IdleRun.RunAsync(target, options, cancel.Token).ConfigureAwait(false);
                    }
                    else
                    {
                        var result = await LoadRun.RunAsync(target, options, cancel.Token).ConfigureAwait(false);
                        failures += result.Errors > 0 ? 1 : 0;
                        line = result.ToString();
                    }

                    await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            LoadRun.Progress("cancelled");
            return 130;
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or ArgumentException
            or System.Net.Sockets.SocketException or IOException or OperationCanceledException)
        {
            LoadRun.Progress($"failed: {ex.GetBaseException().Message}");
            return 1;
        }
        finally
        {
            ChildRegistry.KillAll();
        }

        return failures > 0 ? 1 : 0;
    }
}
