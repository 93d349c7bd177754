namespace Sockit.Client;

/// <summary>How a streamed call (<see cref="SockitClient.StartAsync{TRequest, TReply}"/>) takes its output.</summary>
public sealed record SockitCallOptions
{
    /// <summary>256 KiB, the default <see cref="OutputWindow"/>.</summary>
    public const int DefaultOutputWindow = 256 * 1024;

    /// <summary>The defaults.</summary>
    public static SockitCallOptions Default { get; } = new();

    /// <summary>
    /// How many bytes of part bodies the server may send for the call before the consumer has taken some (the
    /// request's <c>window</c> field). This is also the most the client holds in memory for the call's unread parts,
    /// so a consumer that reads slowly holds up only its own call.
    /// </summary>
    public int OutputWindow { get; init; } = DefaultOutputWindow;

    internal void Validate() => ArgumentOutOfRangeException.ThrowIfLessThan(OutputWindow, 1, nameof(OutputWindow));
}
