using System.Buffers;
using System.Text;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Protocol.Tests.Support;

namespace Sockit.Protocol.Tests.Framing;

public class FrameHeadTests
{
    private static readonly SockitJsonContext Json = SockitJsonContext.Default;

    [Fact]
    public void Deserializes_the_whole_header_into_the_operation_type()
    {
        var request = Head("""{"op":"echo","id":4,"data_size":3,"upper":true}""").Deserialize(Json.EchoRequest);

        Assert.Equal(Ops.Echo, request.Op);
        Assert.Equal(4, request.Id);
        Assert.Equal(3, request.DataSize);
        Assert.True(request.Upper);
    }

    [Fact]
    public void Deserializes_a_python_json_dumps_header_with_escaped_chinese()
    {
        var reply = Head("""{"op": "time", "id": 2, "ok": false, "error": "invalid_format", "message": "\u683c\u5f0f\u65e0\u6548"}""")
            .Deserialize(Json.ErrorReply);

        Assert.Equal("格式无效", reply.Message);
        Assert.Equal("invalid_format", reply.Error);
        Assert.False(reply.Ok);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var request = Head("""{"op":"echo","id":1,"extra":{"nested":[1,2,3]},"upper":true}""")
            .Deserialize(Json.EchoRequest);

        Assert.Equal(Ops.Echo, request.Op);
        Assert.Equal(1, request.Id);
        Assert.Null(request.DataSize);
        Assert.True(request.Upper);
    }

    [Theory]
    [InlineData("""{"op":"echo","id":9,"upper":"yes"}""", "$.upper")]
    [InlineData("""{"op":"echo","id":9,"upper":1}""", "$.upper")]
    [InlineData("""{"op":"echo","id":9,"upper":null}""", "$.upper")]
    public void A_wrong_typed_operation_field_is_invalid_field(string header, string path)
    {
        var ex = Assert.Throws<SockitProtocolException>(() => Head(header).Deserialize(Json.EchoRequest));

        Assert.Equal(SockitErrorCode.InvalidField, ex.Code);
        Assert.Equal(9, ex.RequestId);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(ex.InnerException);
    }

    [Fact]
    public void Wrong_typed_fields_of_other_messages_are_invalid_field()
    {
        AssertInvalidField(() => Head("""{"op":"time","format":5}""").Deserialize(Json.TimeRequest));
        AssertInvalidField(() => Head("""{"op":"hello","ops":"echo"}""").Deserialize(Json.HelloMessage));
        AssertInvalidField(() => Head("""{"op":"hello","protocol":"1"}""").Deserialize(Json.HelloMessage));
        AssertInvalidField(() => Head("""{"op":"hello","max_header_length":1.5}""").Deserialize(Json.HelloMessage));
        AssertInvalidField(() => Head("""{"ok":"true"}""").Deserialize(Json.ReplyStatus));
        AssertInvalidField(() => Head("""{"ok":false,"error":["x"]}""").Deserialize(Json.ErrorReply));
    }

    [Fact]
    public void A_null_header_is_header_not_object()
    {
        // The parser never produces such a head; Deserialize still refuses to return null.
        var head = new FrameHead(new ReadOnlySequence<byte>("null"u8.ToArray()), null, 3, 0, FrameKind.None, null, null, null);

        var ex = Assert.Throws<SockitProtocolException>(() => head.Deserialize(Json.EchoRequest));

        Assert.Equal(SockitErrorCode.HeaderNotObject, ex.Code);
        Assert.Equal(3, ex.RequestId);
    }

    [Fact]
    public void Header_holds_exactly_the_json_bytes()
    {
        const string Json = """{ "op": "echo", "data_size": 2 }""";
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame(Json, "ab"));
        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));

        Assert.Equal(Json, Encoding.UTF8.GetString(head.Header));
    }

    private static FrameHead Head(string json)
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame(json));
        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));
        return head;
    }

    private static void AssertInvalidField(Action deserialize)
    {
        var ex = Assert.Throws<SockitProtocolException>(deserialize);
        Assert.Equal(SockitErrorCode.InvalidField, ex.Code);
    }
}
