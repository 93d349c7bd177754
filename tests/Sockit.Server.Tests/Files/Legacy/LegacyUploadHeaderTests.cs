using System.Buffers;
using System.Text;
using Sockit.Protocol.Errors;
using Sockit.Server.Files.Legacy;

namespace Sockit.Server.Tests.Files.Legacy;

public sealed class LegacyUploadHeaderTests
{
    [Theory]
    [InlineData(0, "invalid_header_length")]
    [InlineData(-1, "invalid_header_length")]
    [InlineData(int.MinValue, "invalid_header_length")]
    [InlineData(LegacyUploadHeader.MaxLength + 1, "header_too_large")]
    [InlineData(int.MaxValue, "header_too_large")]
    public void A_length_that_is_no_length_or_too_long_is_refused_on_the_four_bytes_alone(int length, string code)
    {
        var ex = Assert.Throws<SockitException>(() => LegacyUploadHeader.ReadLength(BitConverter.GetBytes(length)));

        Assert.Equal(code, ex.Code.Value);
    }

    [Fact]
    public void An_http_request_shows_as_a_huge_length_whose_letters_the_message_quotes()
    {
        // A web page can make a browser send this to any port on loopback; it must not get as far as a header.
        var ex = Assert.Throws<SockitException>(() => LegacyUploadHeader.ReadLength("POST"u8));

        Assert.Equal(SockitErrorCode.HeaderTooLarge, ex.Code);
        Assert.Equal("the header length 1414745936 (the text 'POST') is more than 8192 bytes", ex.Message);
    }

    [Theory]
    [InlineData("{\"file_name\": \"a\", \"file_name\": \"../../etc/passwd\", \"file_size\": 1, \"md5\": \"0cc175b9c0f1b6a831c399e269772661\"}")]
    [InlineData("{\"file_name\": \"a\", \"file_size\": 1, \"file_size\": -1, \"md5\": \"0cc175b9c0f1b6a831c399e269772661\"}")]
    public void A_header_that_repeats_a_key_is_refused_since_the_log_and_the_store_could_read_different_ones(string json)
    {
        var ex = Assert.Throws<SockitException>(() => Parse(json));

        Assert.Equal(SockitErrorCode.InvalidHeader, ex.Code);
    }

    [Theory]
    [InlineData("{\"file_name\": \"a\", \"file_size\": -1, \"md5\": \"0cc175b9c0f1b6a831c399e269772661\"}", "file_size")]
    [InlineData("{\"file_name\": \"a\", \"file_size\": 1.5, \"md5\": \"0cc175b9c0f1b6a831c399e269772661\"}", "file_size")]
    [InlineData("{\"file_name\": \"a\", \"file_size\": 1e3, \"md5\": \"0cc175b9c0f1b6a831c399e269772661\"}", "file_size")]
    [InlineData("{\"file_name\": \"a\", \"file_size\": 9223372036854775808, \"md5\": \"0cc175b9c0f1b6a831c399e269772661\"}", "file_size")]
    [InlineData("{\"file_name\": \"a\", \"file_size\": \"1\", \"md5\": \"0cc175b9c0f1b6a831c399e269772661\"}", "file_size")]
    [InlineData("{\"file_name\": \"a\", \"file_size\": true, \"md5\": \"0cc175b9c0f1b6a831c399e269772661\"}", "file_size")]
    [InlineData("{\"file_name\": \"a\", \"md5\": \"0cc175b9c0f1b6a831c399e269772661\"}", "file_size")]
    [InlineData("{\"file_name\": \"a\", \"file_size\": 1, \"md5\": \"0cc175b9c0f1b6a831c399e26977266\"}", "md5")]
    [InlineData("{\"file_name\": \"a\", \"file_size\": 1, \"md5\": \"0cc175b9c0f1b6a831c399e26977266g\"}", "md5")]
    [InlineData("{\"file_name\": \"a\", \"file_size\": 1}", "md5")]
    [InlineData("{\"file_name\": 1, \"file_size\": 1, \"md5\": \"0cc175b9c0f1b6a831c399e269772661\"}", "file_name")]
    [InlineData("{\"file_name\": null, \"file_size\": 1, \"md5\": \"0cc175b9c0f1b6a831c399e269772661\"}", "file_name")]
    [InlineData("{\"file_size\": 1, \"md5\": \"0cc175b9c0f1b6a831c399e269772661\"}", "file_name")]
    public void A_missing_or_lying_field_is_refused_naming_it(string json, string field)
    {
        var ex = Assert.Throws<SockitException>(() => Parse(json));

        Assert.Equal(SockitErrorCode.InvalidField, ex.Code);
        Assert.StartsWith(field + " must be", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("a\\udc00.txt")]
    [InlineData("\\udfff\\ud800")]
    public void A_name_holding_an_escaped_lone_surrogate_is_no_name_and_is_quoted_as_sent(string escaped)
    {
        // json.dumps writes a name that is not UTF-8 (os.listdir's surrogateescape) this way: it has no UTF-8 form.
        var ex = Assert.Throws<SockitException>(() => Parse(
            "{\"file_name\": \"" + escaped + "\", \"file_size\": 0, \"md5\": \"d41d8cd98f00b204e9800998ecf8427e\"}"));

        Assert.Equal(SockitErrorCode.InvalidName, ex.Code);
        Assert.Contains("\"" + escaped + "\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_md5_holding_an_escaped_lone_surrogate_is_no_md5()
    {
        var ex = Assert.Throws<SockitException>(() => Parse("{\"file_name\": \"a\", \"file_size\": 0, \"md5\": \"\\udc00d41d8cd98f00b204e9800998ecf842\"}"));

        Assert.Equal(SockitErrorCode.InvalidField, ex.Code);
        Assert.StartsWith("md5 must be", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_escaped_surrogate_pair_is_one_character()
    {
        var header = Parse("{\"file_name\": \"\\ud83d\\ude00.txt\", \"file_size\": 0, \"md5\": \"d41d8cd98f00b204e9800998ecf8427e\"}");

        Assert.Equal("\U0001F600.txt", header.FileName);
    }

    [Theory]
    [InlineData("not json", "invalid_header")]
    [InlineData("{\"file_name\": \"a\"", "invalid_header")]
    [InlineData("{\"file_name\": \"a\"} {}", "invalid_header")]
    [InlineData("[1, 2]", "header_not_object")]
    [InlineData("\"a.txt\"", "header_not_object")]
    public void What_is_not_a_json_object_is_refused(string json, string code)
    {
        Assert.Equal(code, Assert.Throws<SockitException>(() => Parse(json)).Code.Value);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused()
    {
        byte[] json = [.. "{\"file_name\": \""u8, 0xff, .. "\", \"file_size\": 0, \"md5\": \"d41d8cd98f00b204e9800998ecf8427e\"}"u8];

        var ex = Assert.Throws<SockitException>(() => LegacyUploadHeader.Parse(new ReadOnlySequence<byte>(json)));

        Assert.Equal(SockitErrorCode.InvalidHeader, ex.Code);
    }

    [Fact]
    public void The_tutorials_header_is_read_as_json_dumps_writes_it_and_a_1_tb_size_is_a_size()
    {
        // Tutorial 003's header, as json.dumps writes it (its name is a path, which the listener refuses, not the parser).
        var header = Parse("{\"file_size\": 1073741824000, \"file_name\": \"/a/b/c/d/e/a.txt\", \"md5\": \"8F6FBF8347FAA4924A76856701EDB0F3\"}");

        Assert.Equal(new LegacyUploadHeader("/a/b/c/d/e/a.txt", 1_073_741_824_000, "8f6fbf8347faa4924a76856701edb0f3"), header);
    }

    [Fact]
    public void Names_come_as_json_dumps_escapes_them_and_other_keys_are_ignored()
    {
        // json.dumps({'file_name': '报告.txt', ...}) with its default ensure_ascii, and the tutorials' habit of extra keys.
        var header = Parse(
            "{\"file_name\": \"\\u62a5\\u544a.txt\", \"file_size\": 0, \"md5\": \"d41d8cd98f00b204e9800998ecf8427e\", \"\\u989d\\u5916\\u4fe1\\u606f\": \"x\"}");

        Assert.Equal(new LegacyUploadHeader("报告.txt", 0, "d41d8cd98f00b204e9800998ecf8427e"), header);
    }

    [Fact]
    public void The_length_is_read_little_endian_as_struct_pack_i_writes_it_on_the_tutorials_machines()
    {
        Assert.Equal(58, LegacyUploadHeader.ReadLength([58, 0, 0, 0]));
        Assert.Equal(LegacyUploadHeader.MaxLength, LegacyUploadHeader.ReadLength(BitConverter.GetBytes(LegacyUploadHeader.MaxLength)));
    }

    private static LegacyUploadHeader Parse(string json) => LegacyUploadHeader.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)));
}
