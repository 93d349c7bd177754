using System.IO.Pipelines;

namespace Sockit.Server.Hosting.Transport;

/// <summary>One side of a connection's pair of pipes: what it reads and what it writes.</summary>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
