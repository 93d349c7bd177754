using System.CommandLine;

namespace Sockit.Cli.Commands.Files;

/// <summary>The options <c>put</c> and <c>get</c> share.</summary>
internal sealed class TransferOptions
{
    public Option<bool> Recursive { get; } = new("--recursive", "-r") { Description = "Transfer folders with everything in them" };

    public Option<bool> Overwrite { get; } = new("--overwrite", "-f") { Description = "Replace files that exist at the destination" };

    public Option<bool> Restart { get; } = new("--restart") { Description = "Start interrupted transfers again from the first byte instead of resuming them" };

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Show no progress; only failures" };

    public void AddTo(Command command)
    {
        command.Options.Add(Recursive);
        command.Options.Add(Overwrite);
        command.Options.Add(Restart);
        command.Options.Add(Quiet);
    }

    /// <summary>The choices made on <paramref name="parseResult"/>.</summary>
    public TransferChoices Read(ParseResult parseResult) => new(
        parseResult.GetValue(Recursive), parseResult.GetValue(Overwrite), parseResult.GetValue(Restart), parseResult.GetValue(Quiet));
}
