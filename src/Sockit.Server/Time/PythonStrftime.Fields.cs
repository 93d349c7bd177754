using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Sockit.Server.Time;

// How single fields (numbers, offsets, zone names) are written.
internal static partial class PythonStrftime
{
    /// <remarks>Pads on the left; only ever called with a negative value for %s, which has no width.</remarks>
    private static void AppendNumber(StringBuilder builder, long value, int width, char pad)
    {
        Span<char> digits = stackalloc char[20];
        var formatted = value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        Debug.Assert(formatted, "20 characters hold any long.");
        if (written < width)
        {
            builder.Append(pad, width - written);
        }

        builder.Append(digits[..written]);
    }

    private static void AppendOffset(StringBuilder builder, TimeSpan offset, bool colon)
    {
        builder.Append(offset < TimeSpan.Zero ? '-' : '+');
        var magnitude = offset.Duration();
        AppendNumber(builder, magnitude.Hours, 2, '0');
        if (colon)
        {
            builder.Append(':');
        }

        AppendNumber(builder, magnitude.Minutes, 2, '0');
    }

    private static void AppendZoneName(StringBuilder builder, DateTimeOffset time, TimeZoneInfo zone)
    {
        if (zone.GetUtcOffset(time) != time.Offset)
        {
            AppendFixedOffsetName(builder, time.Offset);
            return;
        }

        if (IsUtc(zone))
        {
            builder.Append("UTC");
            return;
        }

        var name = zone.IsDaylightSavingTime(time) ? zone.DaylightName : zone.StandardName;
        if (string.IsNullOrEmpty(name))
        {
            AppendFixedOffsetName(builder, time.Offset);
            return;
        }

        builder.Append(name);
    }

    /// <summary>Names an offset the way Python's <c>datetime.timezone(offset).tzname()</c> does.</summary>
    private static void AppendFixedOffsetName(StringBuilder builder, TimeSpan offset)
    {
        builder.Append("UTC");
        if (offset != TimeSpan.Zero)
        {
            AppendOffset(builder, offset, colon: true);
        }
    }

    // .NET calls UTC "Coordinated Universal Time"; glibc and Python print "UTC", which is also what clients expect.
    private static bool IsUtc(TimeZoneInfo zone) =>
        zone.BaseUtcOffset == TimeSpan.Zero
        && !zone.SupportsDaylightSavingTime
        && zone.Id is "UTC" or "Etc/UTC" or "UCT" or "Etc/UCT" or "Universal" or "Etc/Universal" or "Zulu" or "Etc/Zulu";
}
