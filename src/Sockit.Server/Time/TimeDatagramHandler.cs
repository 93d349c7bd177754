using System.Text;
using Sockit.Protocol.Errors;
using Sockit.Server.Udp;

namespace Sockit.Server.Time;

/// <summary>
/// The tutorials' UDP time server: the datagram is a strftime format (empty means the default) and the
/// reply is the formatted local time. A bad format gets a reply starting with <c>error: </c>, since a
/// datagram service has no other way to say so.
/// </summary>
internal sealed class TimeDatagramHandler : IDatagramHandler
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly TimeProvider _clock;

    public TimeDatagramHandler(TimeProvider clock)
    {
        _clock = clock;
    }

    public ReadOnlyMemory<byte> Handle(ReadOnlySpan<byte> request, Memory<byte> scratch)
    {
        string reply;
        try
        {
            var format = StrictUtf8.GetString(request);
            reply = PythonStrftime.Format(format, _clock.GetLocalNow(), _clock.LocalTimeZone);
        }
        catch (DecoderFallbackException)
        {
            reply = "error: the format is not valid UTF-8";
        }
        catch (SockitException ex)
        {
            reply = "error: " + ex.Message;
        }

        var bytes = StrictUtf8.GetBytes(reply);
        if (bytes.Length > UdpLimits.MaxPayload)
        {
            bytes = StrictUtf8.GetBytes($"error: the formatted time is {bytes.Length} bytes, more than a UDP datagram carries");
        }

        bytes.CopyTo(scratch.Span);
        return scratch[..bytes.Length];
    }
}
