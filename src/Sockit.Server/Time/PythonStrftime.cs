using System.Globalization;
using System.Text;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Text;

namespace Sockit.Server.Time;

/// <summary>
/// Formats a time the way CPython's <c>time.strftime(format, time.localtime())</c> does on Linux (glibc) in the
/// C/POSIX locale, so a format written for the Python time server gives the same text from Sockit.
/// </summary>
/// <remarks>
/// <para>
/// Supported directives: <c>%a %A %w %u %d %e %b %h %B %m %y %Y %C %G %g %V %U %W %j %H %k %I %l %p %P %M %S %f
/// %z %:z %Z %s %c %x %X %D %F %T %R %r %n %t %%</c>. Their output is glibc's in the C locale: English names,
/// <c>%c</c> is <c>%a %b %e %H:%M:%S %Y</c>, <c>%x</c> is <c>%m/%d/%y</c>, <c>%X</c> is <c>%H:%M:%S</c>, and
/// <c>%Y</c>, <c>%C</c> and <c>%G</c> are not zero-padded (year 5 is <c>5</c>, as glibc prints it).
/// <c>%f</c> (six-digit microseconds) and <c>%:z</c> (<c>+08:00</c>) come from Python's <c>datetime.strftime</c>.
/// </para>
/// <para>
/// Unlike glibc, which copies an unknown conversion to the output, anything else after <c>%</c> (including the
/// glibc flags, field widths and the <c>E</c>/<c>O</c> modifiers) and a <c>%</c> that ends the format are rejected
/// with <see cref="SockitErrorCode.InvalidFormat"/>, so a client learns about a typo instead of getting it echoed.
/// </para>
/// <para>
/// The fields are formatted as <c>time</c> carries them; the time is never converted to another zone.
/// <c>%z</c> and <c>%:z</c> print <see cref="DateTimeOffset.Offset"/>, <c>%s</c> the Unix time in whole seconds
/// (rounded down, like <c>mktime</c>).
/// </para>
/// <para>
/// <c>%Z</c>: .NET does not expose the tz database abbreviations (<c>CST</c>, <c>EDT</c>) that glibc prints, so
/// the name is <c>UTC</c> for a UTC zone, otherwise the zone's <see cref="TimeZoneInfo.DaylightName"/> or
/// <see cref="TimeZoneInfo.StandardName"/> for that instant (on Linux with ICU, for example
/// <c>China Standard Time</c>). When the zone's offset at that instant differs from <c>time</c>'s offset, the
/// zone cannot be what <c>time</c> is in, so the name is the offset in Python's fixed-offset style:
/// <c>UTC+08:00</c>, <c>UTC-05:30</c>, or <c>UTC</c> for a zero offset.
/// </para>
/// </remarks>
internal static partial class PythonStrftime
{
    /// <summary>The format used when a request gives none: <c>%Y-%m-%d %X</c>.</summary>
    public const string DefaultFormat = "%Y-%m-%d %X";

    private static readonly string[] AbbreviatedDayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    private static readonly string[] DayNames =
        ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    private static readonly string[] AbbreviatedMonthNames =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private static readonly string[] MonthNames =
    [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ];

    /// <summary>
    /// Formats <paramref name="time"/> like Python's <c>time.strftime</c>, naming the zone for <c>%Z</c> from
    /// <see cref="TimeZoneInfo.Local"/>.
    /// </summary>
    /// <param name="format">A Python strftime format; <see langword="null"/> or empty means <see cref="DefaultFormat"/>.</param>
    /// <param name="time">The time to format, with its local offset.</param>
    /// <returns>The formatted time.</returns>
    /// <exception cref="SockitException">
    /// The format has an unsupported directive or ends with a lone <c>%</c>; the code is
    /// <see cref="SockitErrorCode.InvalidFormat"/>.
    /// </exception>
    public static string Format(string? format, DateTimeOffset time) => Format(format, time, TimeZoneInfo.Local);

    /// <summary>Formats <paramref name="time"/> like Python's <c>time.strftime</c>.</summary>
    /// <param name="format">A Python strftime format; <see langword="null"/> or empty means <see cref="DefaultFormat"/>.</param>
    /// <param name="time">The time to format, with its local offset.</param>
    /// <param name="zone">The zone <paramref name="time"/> is in; only <c>%Z</c> uses it.</param>
    /// <returns>The formatted time.</returns>
    /// <exception cref="SockitException">
    /// The format has an unsupported directive or ends with a lone <c>%</c>; the code is
    /// <see cref="SockitErrorCode.InvalidFormat"/>.
    /// </exception>
    public static string Format(string? format, DateTimeOffset time, TimeZoneInfo zone) => Format(format, time, zone, int.MaxValue);

    /// <summary>
    /// Formats <paramref name="time"/> like Python's <c>time.strftime</c>, refusing a format that expands past
    /// <paramref name="maxLength"/> characters before it has been expanded whole.
    /// </summary>
    /// <param name="format">A Python strftime format; <see langword="null"/> or empty means <see cref="DefaultFormat"/>.</param>
    /// <param name="time">The time to format, with its local offset.</param>
    /// <param name="zone">The zone <paramref name="time"/> is in; only <c>%Z</c> uses it.</param>
    /// <param name="maxLength">The most characters the result may have.</param>
    /// <returns>The formatted time.</returns>
    /// <exception cref="SockitException">
    /// The format has an unsupported directive, ends with a lone <c>%</c>, or expands past <paramref name="maxLength"/>;
    /// the code is <see cref="SockitErrorCode.InvalidFormat"/>.
    /// </exception>
    public static string Format(string? format, DateTimeOffset time, TimeZoneInfo zone, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (string.IsNullOrEmpty(format))
        {
            format = DefaultFormat;
        }

        // Most directives grow by a few characters; %A, %B and %c by more, so leave some room up front.
        var builder = new StringBuilder((int)Math.Min(format.Length + 32L, maxLength + 1L));
        AppendFormatted(builder, format, time, zone, maxLength);
        return builder.ToString();
    }

    private static void AppendFormatted(StringBuilder builder, string format, DateTimeOffset time, TimeZoneInfo zone, int maxLength)
    {
        var position = 0;
        while (position < format.Length)
        {
            var percent = format.IndexOf('%', position);
            builder.Append(format.AsSpan(position, (percent < 0 ? format.Length : percent) - position));
            position = percent < 0 ? format.Length : AppendDirective(builder, format, percent, time, zone);
            if (builder.Length > maxLength)
            {
                throw new SockitException(
                    SockitErrorCode.InvalidFormat,
                    string.Create(CultureInfo.InvariantCulture, $"the format expands to more than {maxLength} characters"));
            }
        }
    }

    /// <returns>The index just past the directive.</returns>
    private static int AppendDirective(
        StringBuilder builder, string format, int percent, DateTimeOffset time, TimeZoneInfo zone)
    {
        if (percent + 1 >= format.Length)
        {
            throw new SockitException(
                SockitErrorCode.InvalidFormat,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"invalid strftime directive '%' at position {percent}: the format ends with a lone '%'"));
        }

        var dayOfWeek = (int)time.DayOfWeek;
        switch (format[percent + 1])
        {
            case 'a':
                builder.Append(AbbreviatedDayNames[dayOfWeek]);
                break;
            case 'A':
                builder.Append(DayNames[dayOfWeek]);
                break;
            case 'w':
                AppendNumber(builder, dayOfWeek, 1, '0');
                break;
            case 'u':
                AppendNumber(builder, dayOfWeek == 0 ? 7 : dayOfWeek, 1, '0');
                break;
            case 'd':
                AppendNumber(builder, time.Day, 2, '0');
                break;
            case 'e':
                AppendNumber(builder, time.Day, 2, ' ');
                break;
            case 'b':
            case 'h':
                builder.Append(AbbreviatedMonthNames[time.Month - 1]);
                break;
            case 'B':
                builder.Append(MonthNames[time.Month - 1]);
                break;
            case 'm':
                AppendNumber(builder, time.Month, 2, '0');
                break;
            case 'y':
                AppendNumber(builder, time.Year % 100, 2, '0');
                break;
            case 'Y':
                AppendNumber(builder, time.Year, 1, '0');
                break;
            case 'C':
                AppendNumber(builder, time.Year / 100, 1, '0');
                break;
            case 'G':
                AppendNumber(builder, ISOWeek.GetYear(time.DateTime), 1, '0');
                break;
            case 'g':
                AppendNumber(builder, ISOWeek.GetYear(time.DateTime) % 100, 2, '0');
                break;
            case 'V':
                AppendNumber(builder, ISOWeek.GetWeekOfYear(time.DateTime), 2, '0');
                break;
            case 'U':
                // Week 1 starts on the year's first Sunday; the days before it are week 0 (C standard).
                AppendNumber(builder, (time.DayOfYear - 1 + 7 - dayOfWeek) / 7, 2, '0');
                break;
            case 'W':
                // As %U, with Monday as the first day of the week.
                AppendNumber(builder, (time.DayOfYear - 1 + 7 - ((dayOfWeek + 6) % 7)) / 7, 2, '0');
                break;
            case 'j':
                AppendNumber(builder, time.DayOfYear, 3, '0');
                break;
            case 'H':
                AppendNumber(builder, time.Hour, 2, '0');
                break;
            case 'k':
                AppendNumber(builder, time.Hour, 2, ' ');
                break;
            case 'I':
                AppendNumber(builder, TwelveHour(time.Hour), 2, '0');
                break;
            case 'l':
                AppendNumber(builder, TwelveHour(time.Hour), 2, ' ');
                break;
            case 'p':
                builder.Append(time.Hour < 12 ? "AM" : "PM");
                break;
            case 'P':
                builder.Append(time.Hour < 12 ? "am" : "pm");
                break;
            case 'M':
                AppendNumber(builder, time.Minute, 2, '0');
                break;
            case 'S':
                AppendNumber(builder, time.Second, 2, '0');
                break;
            case 'f':
                // DateTimeOffset has 100 ns ticks; Python's microseconds drop the last digit.
                AppendNumber(builder, time.Ticks % TimeSpan.TicksPerSecond / 10, 6, '0');
                break;
            case 'z':
                AppendOffset(builder, time.Offset, colon: false);
                break;
            case ':':
                if (percent + 2 < format.Length && format[percent + 2] == 'z')
                {
                    AppendOffset(builder, time.Offset, colon: true);
                    return percent + 3;
                }

                throw InvalidDirective(format, percent, percent + 2 < format.Length ? 3 : 2);
            case 'Z':
                AppendZoneName(builder, time, zone);
                break;
            case 's':
                AppendNumber(builder, time.ToUnixTimeSeconds(), 1, '0');
                break;
            case 'c':
                AppendFormatted(builder, "%a %b %e %H:%M:%S %Y", time, zone, int.MaxValue);
                break;
            case 'x':
            case 'D':
                AppendFormatted(builder, "%m/%d/%y", time, zone, int.MaxValue);
                break;
            case 'X':
            case 'T':
                AppendFormatted(builder, "%H:%M:%S", time, zone, int.MaxValue);
                break;
            case 'F':
                AppendFormatted(builder, "%Y-%m-%d", time, zone, int.MaxValue);
                break;
            case 'R':
                AppendFormatted(builder, "%H:%M", time, zone, int.MaxValue);
                break;
            case 'r':
                AppendFormatted(builder, "%I:%M:%S %p", time, zone, int.MaxValue);
                break;
            case 'n':
                builder.Append('\n');
                break;
            case 't':
                builder.Append('\t');
                break;
            case '%':
                builder.Append('%');
                break;
            default:
                // Keep a surrogate pair whole so the message names the character the client actually sent.
                var length = char.IsHighSurrogate(format[percent + 1])
                    && percent + 2 < format.Length
                    && char.IsLowSurrogate(format[percent + 2]) ? 3 : 2;
                throw InvalidDirective(format, percent, length);
        }

        return percent + 2;
    }

    private static SockitException InvalidDirective(string format, int percent, int length) =>
        new(
            SockitErrorCode.InvalidFormat,
            string.Create(
                CultureInfo.InvariantCulture,
                $"invalid strftime directive '{UntrustedText.Escape(format.Substring(percent, length))}' at position {percent}"));

    private static int TwelveHour(int hour) => hour % 12 == 0 ? 12 : hour % 12;
}
