using System.Globalization;
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

    /// <summary>The longest reply any request gets, however short: enough for every sensible format.</summary>
    public const int MinReplyCap = 128;

    /// <summary>How many times its own size a longer request may get back.</summary>
    public const int ReplyAmplification = 2;

    public ReadOnlyMemory<byte> Handle(ReadOnlySpan<byte> request, Memory<byte> scratch)
    {
        // The source of a datagram can be forged, so a reply much larger than its request would let anyone aim this
        // server at a third party and multiply what they send. Capping replies keeps that factor small.
        int cap = Math.Min(UdpLimits.MaxPayload, Math.Max(MinReplyCap, ReplyAmplification * request.Length));
        string reply;
        try
        {
            var format = StrictUtf8.GetString(request);

            // A character is at least one byte, so formatting can stop as soon as the characters alone are too many.
            reply = PythonStrftime.Format(format, _clock.GetLocalNow(), _clock.LocalTimeZone, cap);
        }
        catch (DecoderFallbackException)
        {
            reply = "error: the format is not valid UTF-8";
        }
        catch (SockitException ex)
        {
            reply = "error: " + ex.Message;
        }

        int length = StrictUtf8.GetByteCount(reply);
        if (length > cap)
        {
            reply = string.Create(
                CultureInfo.InvariantCulture, $"error: the reply would be {length} bytes; a {request.Length}-byte request gets at most {cap}");
        }

        return scratch[..StrictUtf8.GetBytes(reply, scratch.Span)];
    }
}
