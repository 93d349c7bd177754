using Sockit.Server.Udp;

namespace Sockit.Server.Echo;

/// <summary>The tutorials' UDP upper-echo: the datagram comes back upper-cased.</summary>
internal sealed class UpperEchoDatagramHandler : IDatagramHandler
{
    public ReadOnlyMemory<byte> Handle(ReadOnlySpan<byte> request, Memory<byte> scratch)
    {
        var reply = scratch[..request.Length];
        request.CopyTo(reply.Span);
        AsciiUpper.Apply(reply.Span);
        return reply;
    }
}
