using System.Globalization;

namespace Sockit.Cli.Commands.Files;

/// <summary>How a batch of transfers went.</summary>
/// <param name="Verb"><c>put</c> or <c>get</c>, for the summary line.</param>
/// <param name="Done">Files transferred.</param>
/// <param name="Failed">Files (or sources) that failed; each has had its line.</param>
/// <param name="Bytes">Bytes of the files transferred.</param>
/// <param name="Elapsed">How long it took.</param>
/// <param name="FirstFailure">The exit code of the first failure; <see cref="ExitCode.Ok"/> when none failed.</param>
internal sealed record TransferSummary(string Verb, int Done, int Failed, long Bytes, TimeSpan Elapsed, ExitCode FirstFailure)
{
    /// <summary>
    /// The closing line: <c>put: 3 files, 1.2 MiB in 0.4 s (3.0 MiB/s)</c>, with the failures counted when there were
    /// any.
    /// </summary>
    public string Describe()
    {
        double seconds = Math.Max(Elapsed.TotalSeconds, 0.001);
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{Verb}: {Done} {(Done == 1 ? "file" : "files")}, {EntryFormat.Size(Bytes)} in {Elapsed.TotalSeconds:0.0} s ({EntryFormat.Size((long)(Bytes / seconds))}/s)");
        return Failed == 0 ? line : string.Create(CultureInfo.InvariantCulture, $"{line}; {Failed} failed");
    }
}
