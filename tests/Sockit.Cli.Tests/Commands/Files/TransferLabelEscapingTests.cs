using System.Text;
using System.Text.RegularExpressions;
using Sockit.Cli.Commands.Files;

namespace Sockit.Cli.Tests.Commands.Files;

/// <summary>
/// A file's name reaches the progress display as its label: from the server for a download, from a folder of unknown
/// origin for an upload. Either way it must not be able to write to the terminal that shows it.
/// </summary>
public sealed partial class TransferLabelEscapingTests
{
    // A window title, a line erased and rewritten, and a right-to-left override that makes "exe.txt" read as "txt.exe".
    private const string HostileName = "/dir/\u001b]0;pwned\u0007\u001b[2K\rfake\u202Etxt.exe";

    [Fact]
    public async Task A_progress_bar_shows_a_hostile_name_escaped()
    {
        var error = new StringWriter();
        var display = new SpectreTransferDisplay(error);
        var item = new TransferItem("/dir/x", "/tmp/x", 10, HostileName);
        var plan = new TransferPlan();
        plan.Files.Add(item);

        await display.RunAsync(plan, () =>
        {
            // Left running, so the last refresh draws its line.
            display.Start(item).Report(5);
            return Task.FromResult(true);
        });

        var shown = error.ToString();
        // A bar keeps the end of a long label, which names the file.
        Assert.Contains(@"\u001b[2K\u000dfake\u202etxt.exe", shown, StringComparison.Ordinal);
        AssertNoControlCharacters(DisplaySequences().Replace(shown, ""));
    }

    [Fact]
    public async Task An_upload_of_a_folder_labels_a_hostile_local_name_escaped()
    {
        var folder = Directory.CreateTempSubdirectory("sockit-labels-");
        try
        {
            Directory.CreateDirectory(Path.Join(folder.FullName, "in"));
            await File.WriteAllTextAsync(Path.Join(folder.FullName, "in", "\u001b]0;pwned\u0007\u202Etxt.exe"), "x");

            // Without a destination nothing is asked of the server.
            var plan = await PutPlanner.PlanAsync(null!, ["in"], null, recursive: true, folder.FullName, "/", CancellationToken.None);

            var item = Assert.Single(plan.Files);
            Assert.Equal(Path.Join("in", @"\u001b]0;pwned\u0007\u202etxt.exe"), item.Label);
            Assert.Equal("/in/\u001b]0;pwned\u0007\u202Etxt.exe", item.Target);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// What the bars themselves draw with at a terminal: colours, cursor moves and line erases (CSI sequences), and a
    /// carriage return before moving up. A name escaped as it should be has neither, so what is left of it is checked.
    /// </summary>
    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\r(?=\x1b\[)")]
    private static partial Regex DisplaySequences();

    /// <summary>Nothing a terminal acts on besides ending a line: no C0 or C1 control, DEL or bidirectional control.</summary>
    private static void AssertNoControlCharacters(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            Assert.False(
                (Rune.IsControl(rune) && rune.Value != '\n') || rune.Value is 0x2028 or 0x2029 or 0x061C or 0x200E or 0x200F
                    || rune.Value is >= 0x202A and <= 0x202E || rune.Value is >= 0x2066 and <= 0x2069,
                $"U+{rune.Value:X4} in: {text.Replace("\u001b", "<ESC>", StringComparison.Ordinal)}");
        }
    }
}
