namespace Sockit.Server.Udp;

/// <summary>A UDP service: one datagram in, one datagram out.</summary>
public interface IDatagramHandler
{
    /// <summary>
    /// Answers <paramref name="request"/>. The reply may be written into <paramref name="scratch"/> (large
    /// enough for any datagram) and is sent before the next request is read.
    /// </summary>
    ReadOnlyMemory<byte> Handle(ReadOnlySpan<byte> request, Memory<byte> scratch);
}
