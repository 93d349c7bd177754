using Sockit.Protocol.Errors;
using Sockit.Server.Time;

namespace Sockit.Server.Tests.Time;

public sealed class PythonStrftimeTests
{
    // The expectations below are CPython's, generated (not at test time) with CPython 3.11.7 on Debian glibc 2.36:
    // TZ set to the case's zone, then time.strftime(format, time.localtime(unix_seconds)). CPython 3.11's
    // time.strftime knows neither %f nor %:z, so those two were substituted first the way datetime.strftime
    // does (zero-padded microseconds; %z with a colon). %Z is only compared for the UTC cases (null elsewhere):
    // glibc prints tz abbreviations such as "CST", which .NET cannot provide; see the %Z tests further down.
    private static readonly string[] Formats =
    [
        "%a", "%A", "%w", "%u", "%d", "%e", "%b", "%h", "%B", "%m", "%y", "%Y", "%C", "%G", "%g", "%V", "%U", "%W",
        "%j", "%H", "%k", "%I", "%l", "%p", "%P", "%M", "%S", "%f", "%z", "%:z", "%Z", "%s", "%c", "%x", "%X",
        "%D", "%F", "%T", "%R", "%r", "%n", "%t", "%%", "%Y-%m-%d %X", "%a, %d %b %Y %H:%M:%S %z",
        "%Y年%m月%d日 %H时%M分%S秒", "100%% at %I:%M %p", "%G-W%V-%u", "%Y-%m-%dT%H:%M:%S.%f%:z", "[%U|%W|%V|%j]",
    ];

    private static readonly (string Name, DateTimeOffset Time, bool Utc, string?[] Expected)[] Cases =
    [
        Case(
            "Sunday_Shanghai",
            new DateTimeOffset(2026, 11, 22, 14, 5, 9, 123, 456, TimeSpan.FromMinutes(480)),
            utc: false,
            [
                "Sun", "Sunday", "0", "7", "22", "22", "Nov", "Nov", "November", "11", "26", "2026", "20", "2026",
                "26", "47", "47", "46", "326", "14", "14", "02", " 2", "PM", "pm", "05", "09", "123456", "+0800",
                "+08:00", null, "1795327509", "Sun Nov 22 14:05:09 2026", "11/22/26", "14:05:09", "11/22/26",
                "2026-11-22", "14:05:09", "14:05", "02:05:09 PM", "\n", "\t", "%", "2026-11-22 14:05:09",
                "Sun, 22 Nov 2026 14:05:09 +0800", "2026年11月22日 14时05分09秒", "100% at 02:05 PM", "2026-W47-7",
                "2026-11-22T14:05:09.123456+08:00", "[47|46|47|326]",
            ]),
        Case(
            "Jan1InIsoWeek53_Midnight_Utc",
            new DateTimeOffset(2021, 1, 1, 0, 0, 0, 0, 0, TimeSpan.FromMinutes(0)),
            utc: true,
            [
                "Fri", "Friday", "5", "5", "01", " 1", "Jan", "Jan", "January", "01", "21", "2021", "20", "2020",
                "20", "53", "00", "00", "001", "00", " 0", "12", "12", "AM", "am", "00", "00", "000000", "+0000",
                "+00:00", "UTC", "1609459200", "Fri Jan  1 00:00:00 2021", "01/01/21", "00:00:00", "01/01/21",
                "2021-01-01", "00:00:00", "00:00", "12:00:00 AM", "\n", "\t", "%", "2021-01-01 00:00:00",
                "Fri, 01 Jan 2021 00:00:00 +0000", "2021年01月01日 00时00分00秒", "100% at 12:00 AM", "2020-W53-5",
                "2021-01-01T00:00:00.000000+00:00", "[00|00|53|001]",
            ]),
        Case(
            "Dec31InNextIsoYear_NewYork",
            new DateTimeOffset(2024, 12, 31, 23, 59, 59, 999, 999, TimeSpan.FromMinutes(-300)),
            utc: false,
            [
                "Tue", "Tuesday", "2", "2", "31", "31", "Dec", "Dec", "December", "12", "24", "2024", "20", "2025",
                "25", "01", "52", "53", "366", "23", "23", "11", "11", "PM", "pm", "59", "59", "999999", "-0500",
                "-05:00", null, "1735707599", "Tue Dec 31 23:59:59 2024", "12/31/24", "23:59:59", "12/31/24",
                "2024-12-31", "23:59:59", "23:59", "11:59:59 PM", "\n", "\t", "%", "2024-12-31 23:59:59",
                "Tue, 31 Dec 2024 23:59:59 -0500", "2024年12月31日 23时59分59秒", "100% at 11:59 PM", "2025-W01-2",
                "2024-12-31T23:59:59.999999-05:00", "[52|53|01|366]",
            ]),
        Case(
            "Dec31InIsoWeek53_Utc",
            new DateTimeOffset(2026, 12, 31, 18, 0, 0, 0, 0, TimeSpan.FromMinutes(0)),
            utc: true,
            [
                "Thu", "Thursday", "4", "4", "31", "31", "Dec", "Dec", "December", "12", "26", "2026", "20",
                "2026", "26", "53", "52", "52", "365", "18", "18", "06", " 6", "PM", "pm", "00", "00", "000000",
                "+0000", "+00:00", "UTC", "1798740000", "Thu Dec 31 18:00:00 2026", "12/31/26", "18:00:00",
                "12/31/26", "2026-12-31", "18:00:00", "18:00", "06:00:00 PM", "\n", "\t", "%",
                "2026-12-31 18:00:00", "Thu, 31 Dec 2026 18:00:00 +0000", "2026年12月31日 18时00分00秒",
                "100% at 06:00 PM", "2026-W53-4", "2026-12-31T18:00:00.000000+00:00", "[52|52|53|365]",
            ]),
        Case(
            "LeapDay_Noon_Kolkata",
            new DateTimeOffset(2024, 2, 29, 12, 0, 0, 0, 1, TimeSpan.FromMinutes(330)),
            utc: false,
            [
                "Thu", "Thursday", "4", "4", "29", "29", "Feb", "Feb", "February", "02", "24", "2024", "20",
                "2024", "24", "09", "08", "09", "060", "12", "12", "12", "12", "PM", "pm", "00", "00", "000001",
                "+0530", "+05:30", null, "1709188200", "Thu Feb 29 12:00:00 2024", "02/29/24", "12:00:00",
                "02/29/24", "2024-02-29", "12:00:00", "12:00", "12:00:00 PM", "\n", "\t", "%",
                "2024-02-29 12:00:00", "Thu, 29 Feb 2024 12:00:00 +0530", "2024年02月29日 12时00分00秒",
                "100% at 12:00 PM", "2024-W09-4", "2024-02-29T12:00:00.000001+05:30", "[08|09|09|060]",
            ]),
        Case(
            "SundayJan1_Utc",
            new DateTimeOffset(2023, 1, 1, 0, 30, 5, 500, 0, TimeSpan.FromMinutes(0)),
            utc: true,
            [
                "Sun", "Sunday", "0", "7", "01", " 1", "Jan", "Jan", "January", "01", "23", "2023", "20", "2022",
                "22", "52", "01", "00", "001", "00", " 0", "12", "12", "AM", "am", "30", "05", "500000", "+0000",
                "+00:00", "UTC", "1672533005", "Sun Jan  1 00:30:05 2023", "01/01/23", "00:30:05", "01/01/23",
                "2023-01-01", "00:30:05", "00:30", "12:30:05 AM", "\n", "\t", "%", "2023-01-01 00:30:05",
                "Sun, 01 Jan 2023 00:30:05 +0000", "2023年01月01日 00时30分05秒", "100% at 12:30 AM", "2022-W52-7",
                "2023-01-01T00:30:05.500000+00:00", "[01|00|52|001]",
            ]),
        Case(
            "MondayJan1_Utc",
            new DateTimeOffset(2024, 1, 1, 13, 0, 7, 0, 42, TimeSpan.FromMinutes(0)),
            utc: true,
            [
                "Mon", "Monday", "1", "1", "01", " 1", "Jan", "Jan", "January", "01", "24", "2024", "20", "2024",
                "24", "01", "00", "01", "001", "13", "13", "01", " 1", "PM", "pm", "00", "07", "000042", "+0000",
                "+00:00", "UTC", "1704114007", "Mon Jan  1 13:00:07 2024", "01/01/24", "13:00:07", "01/01/24",
                "2024-01-01", "13:00:07", "13:00", "01:00:07 PM", "\n", "\t", "%", "2024-01-01 13:00:07",
                "Mon, 01 Jan 2024 13:00:07 +0000", "2024年01月01日 13时00分07秒", "100% at 01:00 PM", "2024-W01-1",
                "2024-01-01T13:00:07.000042+00:00", "[00|01|01|001]",
            ]),
        Case(
            "Summer_NewYork",
            new DateTimeOffset(2025, 7, 4, 9, 7, 3, 0, 42, TimeSpan.FromMinutes(-240)),
            utc: false,
            [
                "Fri", "Friday", "5", "5", "04", " 4", "Jul", "Jul", "July", "07", "25", "2025", "20", "2025",
                "25", "27", "26", "26", "185", "09", " 9", "09", " 9", "AM", "am", "07", "03", "000042", "-0400",
                "-04:00", null, "1751634423", "Fri Jul  4 09:07:03 2025", "07/04/25", "09:07:03", "07/04/25",
                "2025-07-04", "09:07:03", "09:07", "09:07:03 AM", "\n", "\t", "%", "2025-07-04 09:07:03",
                "Fri, 04 Jul 2025 09:07:03 -0400", "2025年07月04日 09时07分03秒", "100% at 09:07 AM", "2025-W27-5",
                "2025-07-04T09:07:03.000042-04:00", "[26|26|27|185]",
            ]),
        Case(
            "NegativeHalfHour_StJohns",
            new DateTimeOffset(2026, 1, 15, 6, 45, 0, 0, 0, TimeSpan.FromMinutes(-210)),
            utc: false,
            [
                "Thu", "Thursday", "4", "4", "15", "15", "Jan", "Jan", "January", "01", "26", "2026", "20", "2026",
                "26", "03", "02", "02", "015", "06", " 6", "06", " 6", "AM", "am", "45", "00", "000000", "-0330",
                "-03:30", null, "1768472100", "Thu Jan 15 06:45:00 2026", "01/15/26", "06:45:00", "01/15/26",
                "2026-01-15", "06:45:00", "06:45", "06:45:00 AM", "\n", "\t", "%", "2026-01-15 06:45:00",
                "Thu, 15 Jan 2026 06:45:00 -0330", "2026年01月15日 06时45分00秒", "100% at 06:45 AM", "2026-W03-4",
                "2026-01-15T06:45:00.000000-03:30", "[02|02|03|015]",
            ]),
        Case(
            "BeforeEpoch_Utc",
            new DateTimeOffset(1969, 12, 31, 23, 59, 59, 500, 0, TimeSpan.FromMinutes(0)),
            utc: true,
            [
                "Wed", "Wednesday", "3", "3", "31", "31", "Dec", "Dec", "December", "12", "69", "1969", "19",
                "1970", "70", "01", "52", "52", "365", "23", "23", "11", "11", "PM", "pm", "59", "59", "500000",
                "+0000", "+00:00", "UTC", "-1", "Wed Dec 31 23:59:59 1969", "12/31/69", "23:59:59", "12/31/69",
                "1969-12-31", "23:59:59", "23:59", "11:59:59 PM", "\n", "\t", "%", "1969-12-31 23:59:59",
                "Wed, 31 Dec 1969 23:59:59 +0000", "1969年12月31日 23时59分59秒", "100% at 11:59 PM", "1970-W01-3",
                "1969-12-31T23:59:59.500000+00:00", "[52|52|01|365]",
            ]),
        Case(
            "Year5_Utc",
            new DateTimeOffset(5, 3, 4, 5, 6, 7, 0, 8, TimeSpan.FromMinutes(0)),
            utc: true,
            [
                "Fri", "Friday", "5", "5", "04", " 4", "Mar", "Mar", "March", "03", "05", "5", "0", "5", "05",
                "09", "09", "09", "063", "05", " 5", "05", " 5", "AM", "am", "06", "07", "000008", "+0000",
                "+00:00", "UTC", "-62003991233", "Fri Mar  4 05:06:07 5", "03/04/05", "05:06:07", "03/04/05",
                "5-03-04", "05:06:07", "05:06", "05:06:07 AM", "\n", "\t", "%", "5-03-04 05:06:07",
                "Fri, 04 Mar 5 05:06:07 +0000", "5年03月04日 05时06分07秒", "100% at 05:06 AM", "5-W09-5",
                "5-03-04T05:06:07.000008+00:00", "[09|09|09|063]",
            ]),
        Case(
            "Year999_Utc",
            new DateTimeOffset(999, 12, 31, 11, 59, 59, 0, 0, TimeSpan.FromMinutes(0)),
            utc: true,
            [
                "Tue", "Tuesday", "2", "2", "31", "31", "Dec", "Dec", "December", "12", "99", "999", "9", "1000",
                "00", "01", "52", "52", "365", "11", "11", "11", "11", "AM", "am", "59", "59", "000000", "+0000",
                "+00:00", "UTC", "-30610267201", "Tue Dec 31 11:59:59 999", "12/31/99", "11:59:59", "12/31/99",
                "999-12-31", "11:59:59", "11:59", "11:59:59 AM", "\n", "\t", "%", "999-12-31 11:59:59",
                "Tue, 31 Dec 999 11:59:59 +0000", "999年12月31日 11时59分59秒", "100% at 11:59 AM", "1000-W01-2",
                "999-12-31T11:59:59.000000+00:00", "[52|52|01|365]",
            ]),
        Case(
            "Year9999_Utc",
            new DateTimeOffset(9999, 12, 31, 23, 59, 59, 999, 999, TimeSpan.FromMinutes(0)),
            utc: true,
            [
                "Fri", "Friday", "5", "5", "31", "31", "Dec", "Dec", "December", "12", "99", "9999", "99", "9999",
                "99", "52", "52", "52", "365", "23", "23", "11", "11", "PM", "pm", "59", "59", "999999", "+0000",
                "+00:00", "UTC", "253402300799", "Fri Dec 31 23:59:59 9999", "12/31/99", "23:59:59", "12/31/99",
                "9999-12-31", "23:59:59", "23:59", "11:59:59 PM", "\n", "\t", "%", "9999-12-31 23:59:59",
                "Fri, 31 Dec 9999 23:59:59 +0000", "9999年12月31日 23时59分59秒", "100% at 11:59 PM", "9999-W52-5",
                "9999-12-31T23:59:59.999999+00:00", "[52|52|52|365]",
            ]),
    ];

    private static readonly DateTimeOffset Sunday = new(2026, 11, 22, 14, 5, 9, 123, 456, TimeSpan.FromHours(8));

    // A zone with EU-style summer time, so %Z can be checked without depending on the machine's tz database.
    private static readonly TimeZoneInfo TestZone = TimeZoneInfo.CreateCustomTimeZone(
        "Test/Zone",
        TimeSpan.FromHours(1),
        "(UTC+01:00) Test Zone",
        "Test Standard Time",
        "Test Daylight Time",
        [
            TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
                DateTime.MinValue.Date,
                DateTime.MaxValue.Date,
                TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 5, DayOfWeek.Sunday)),
        ]);

    public static TheoryData<string, string, string> CpythonTable()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (name, _, _, expected) in Cases)
        {
            for (var i = 0; i < Formats.Length; i++)
            {
                if (expected[i] is { } text)
                {
                    data.Add(name, Formats[i], text);
                }
            }
        }

        return data;
    }

    [Fact]
    public void Cpython_table_has_one_expectation_per_format()
    {
        Assert.All(Cases, c => Assert.Equal(Formats.Length, c.Expected.Length));
    }

    [Theory]
    [MemberData(nameof(CpythonTable))]
    public void Format_matches_CPython(string caseName, string format, string expected)
    {
        var (_, time, utc, _) = Cases.Single(c => c.Name == caseName);

        var actual = utc ? PythonStrftime.Format(format, time, TimeZoneInfo.Utc) : PythonStrftime.Format(format, time);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(PythonStrftime.DefaultFormat)]
    public void Null_or_empty_format_means_the_default(string? format)
    {
        Assert.Equal("%Y-%m-%d %X", PythonStrftime.DefaultFormat);
        Assert.Equal("2026-11-22 14:05:09", PythonStrftime.Format(format, Sunday, TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("plain text, no directives", "plain text, no directives")]
    [InlineData("现在是北京时间 %H 点 %M 分", "现在是北京时间 14 点 05 分")]
    [InlineData("🙂 %d 🙂", "🙂 22 🙂")]
    [InlineData("  %Y  ", "  2026  ")]
    [InlineData("tab\there", "tab\there")]
    public void Literal_text_passes_through_unchanged(string format, string expected)
    {
        Assert.Equal(expected, PythonStrftime.Format(format, Sunday, TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("%%", "%")]
    [InlineData("%%Y", "%Y")]
    [InlineData("%%%Y", "%2026")]
    [InlineData("%%%%", "%%")]
    [InlineData("100%%", "100%")]
    [InlineData("%%Q", "%Q")]
    [InlineData("%Y%%%m", "2026%11")]
    public void Double_percent_is_a_literal_percent(string format, string expected)
    {
        Assert.Equal(expected, PythonStrftime.Format(format, Sunday, TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("%Q", "%Q", 0)]
    [InlineData("abc%Q", "%Q", 3)]
    [InlineData("%Y-%m-%d %i", "%i", 9)]
    [InlineData("%%%Q", "%Q", 2)]
    [InlineData("%L", "%L", 0)]
    [InlineData("%+", "%+", 0)]
    [InlineData("% ", "% ", 0)]
    [InlineData("%Ec", "%E", 0)]
    [InlineData("%Oy", "%O", 0)]
    [InlineData("%5Y", "%5", 0)]
    [InlineData("%-d", "%-", 0)]
    [InlineData("%_H", "%_", 0)]
    [InlineData("%^a", "%^", 0)]
    [InlineData("%#Z", "%#", 0)]
    [InlineData("%:y", "%:y", 0)]
    [InlineData("%Y %:", "%:", 3)]
    [InlineData("%::z", "%::", 0)]
    [InlineData("%中", "%中", 0)]
    [InlineData("x%🙂", "%🙂", 1)]
    public void Invalid_directive_throws_InvalidFormat_naming_it(string format, string directive, int position)
    {
        var ex = Assert.Throws<SockitException>(() => PythonStrftime.Format(format, Sunday, TimeZoneInfo.Utc));

        Assert.Equal(SockitErrorCode.InvalidFormat, ex.Code);
        Assert.Equal($"invalid strftime directive '{directive}' at position {position}", ex.Message);
    }

    [Theory]
    [InlineData("%", 0)]
    [InlineData("abc%", 3)]
    [InlineData("%Y%", 2)]
    [InlineData("%%%", 2)]
    [InlineData("时间%", 2)]
    public void Lone_trailing_percent_throws_InvalidFormat(string format, int position)
    {
        var ex = Assert.Throws<SockitException>(() => PythonStrftime.Format(format, Sunday, TimeZoneInfo.Utc));

        Assert.Equal(SockitErrorCode.InvalidFormat, ex.Code);
        Assert.Equal(
            $"invalid strftime directive '%' at position {position}: the format ends with a lone '%'",
            ex.Message);
    }

    [Fact]
    public void Microseconds_truncate_the_sub_microsecond_ticks()
    {
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);

        Assert.Equal("123456", PythonStrftime.Format("%f", time, TimeZoneInfo.Utc));
    }

    [Fact]
    public void Unix_seconds_do_not_depend_on_the_offset()
    {
        var utc = new DateTimeOffset(2026, 11, 22, 6, 5, 9, TimeSpan.Zero);

        Assert.Equal("1795327509", PythonStrftime.Format("%s", utc, TimeZoneInfo.Utc));
        Assert.Equal("1795327509", PythonStrftime.Format("%s", utc.ToOffset(TimeSpan.FromHours(8))));
        Assert.Equal("1795327509", PythonStrftime.Format("%s", utc.ToOffset(new TimeSpan(-9, -30, 0))));
    }

    [Fact]
    public void Zone_name_of_a_UTC_zone_is_UTC()
    {
        var etcUtc = TimeZoneInfo.CreateCustomTimeZone("Etc/UTC", TimeSpan.Zero, "UTC", "Coordinated Universal Time");
        var time = new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal("UTC", PythonStrftime.Format("%Z", time, TimeZoneInfo.Utc));
        Assert.Equal("UTC", PythonStrftime.Format("%Z", time, etcUtc));
    }

    [Theory]
    [InlineData(1, 15, 1, "Test Standard Time")]
    [InlineData(7, 15, 2, "Test Daylight Time")]
    [InlineData(10, 26, 1, "Test Standard Time")]
    public void Zone_name_follows_daylight_saving_time(int month, int day, int offsetHours, string expected)
    {
        var time = new DateTimeOffset(2025, month, day, 12, 0, 0, TimeSpan.FromHours(offsetHours));

        Assert.Equal($"12:00 {expected} +0{offsetHours}00", PythonStrftime.Format("%H:%M %Z %z", time, TestZone));
    }

    [Theory]
    [InlineData(8, 0, "UTC+08:00")]
    [InlineData(-5, -30, "UTC-05:30")]
    [InlineData(0, 0, "UTC")]
    [InlineData(2, 0, "UTC+02:00")]
    public void Zone_name_is_the_fixed_offset_when_the_zone_does_not_match_the_offset(
        int hours, int minutes, string expected)
    {
        // Test/Zone is at +01:00 in January, so none of these offsets can be that zone.
        var time = new DateTimeOffset(2026, 1, 15, 12, 0, 0, new TimeSpan(hours, minutes, 0));

        Assert.Equal(expected, PythonStrftime.Format("%Z", time, TestZone));
    }

    [Fact]
    public void Zone_name_falls_back_to_the_offset_when_the_zone_has_no_name()
    {
        var nameless = TimeZoneInfo.CreateCustomTimeZone("Test/Nameless", TimeSpan.FromHours(3), "", "");
        var time = new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.FromHours(3));

        Assert.Equal("UTC+03:00", PythonStrftime.Format("%Z", time, nameless));
    }

    [Fact]
    public void Format_without_a_zone_names_the_local_zone()
    {
        var local = TimeZoneInfo.ConvertTime(Sunday, TimeZoneInfo.Local);

        Assert.Equal(
            PythonStrftime.Format("%c %z %Z", local, TimeZoneInfo.Local),
            PythonStrftime.Format("%c %z %Z", local));
    }

    [Fact]
    public void Null_zone_throws()
    {
        Assert.Throws<ArgumentNullException>(() => PythonStrftime.Format("%Z", Sunday, null!));
    }

    private static (string Name, DateTimeOffset Time, bool Utc, string?[] Expected) Case(
        string name, DateTimeOffset time, bool utc, string?[] expected) => (name, time, utc, expected);
}
