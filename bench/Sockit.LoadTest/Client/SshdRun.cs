using Sockit.LoadTest.Children;

namespace Sockit.LoadTest.Client;

/// <summary>
/// <c>--sshd</c>: the exec comparison's private sshd for a shell script (the FILES part of bench/run-bench.sh runs
/// <c>scp</c> against it). Prints <c>port=N key=FILE</c>, or <c>unavailable=REASON</c>, and keeps the server until its
/// standard input closes.
/// </summary>
internal static class SshdRun
{
    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (PrivateSshd.Unavailable() is { } missing)
        {
            await Console.Out.WriteLineAsync($"unavailable={missing.Replace(' ', '_')}").ConfigureAwait(false);
            return 0;
        }

        using var sshd = await PrivateSshd.StartAsync(cancellationToken).ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"port={sshd.Port} key={sshd.KeyFile}").ConfigureAwait(false);
        await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
