using Sockit.Protocol.Auth;
using System.Text.Json;
using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Tests.Messages;

public class SockitJsonContextTests
{
    private static readonly SockitJsonContext Json = SockitJsonContext.Default;

    [Fact]
    public void Field_names_are_snake_case_and_nulls_are_left_out()
    {
        Assert.Equal(
            """{"op":"echo","data_size":3,"upper":false}""",
            JsonSerializer.Serialize(new EchoRequest { DataSize = 3 }, Json.EchoRequest));
        Assert.Equal(
            """{"op":"echo","id":5,"ok":true,"data_size":3}""",
            JsonSerializer.Serialize(new EchoReply { Id = 5, DataSize = 3 }, Json.EchoReply));
        Assert.Equal(
            """{"op":"time","id":1,"format":"%H:%M"}""",
            JsonSerializer.Serialize(new TimeRequest { Id = 1, Format = "%H:%M" }, Json.TimeRequest));
        Assert.Equal(
            """{"op":"time","ok":true,"time":"12:00"}""",
            JsonSerializer.Serialize(new TimeReply { Time = "12:00" }, Json.TimeReply));
        Assert.Equal(
            """{"ok":false,"error":"unknown_op","message":"no such op"}""",
            JsonSerializer.Serialize(new ErrorReply { Error = "unknown_op", Message = "no such op" }, Json.ErrorReply));
    }

    [Fact]
    public void Hello_carries_every_field_a_client_needs()
    {
        var hello = new HelloMessage
        {
            Version = "0.1.0",
            Ops = [Ops.Echo, Ops.Time],
            Auth = [AuthMechanisms.ScramSha256, AuthMechanisms.HmacSha256],
            AnonymousOps = [Ops.Echo],
            Nonce = "bm9uY2U=",
            MaxHeaderLength = 65536,
            Features = ProtocolInfo.Features,
            MaxInFlight = 32,
            InputWindow = 262144,
        };

        Assert.Equal(
            """{"op":"hello","ok":true,"server":"sockit","version":"0.1.0","protocol":2,"ops":["echo","time"],"auth":["SCRAM-SHA-256","HMAC-SHA256"],"anonymous_ops":["echo"],"nonce":"bm9uY2U=","max_header_length":65536,"features":["parts","concurrent","input","cancel","events"],"max_in_flight":32,"input_window":262144}""",
            JsonSerializer.Serialize(hello, Json.HelloMessage));
    }

    [Fact]
    public void Hello_round_trips()
    {
        var hello = new HelloMessage { Server = "测试", Version = "1.2.3", Ops = [Ops.Echo], MaxHeaderLength = 1024 };

        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(hello, Json.HelloMessage), Json.HelloMessage)!;

        Assert.Equal(
            (hello.Op, hello.Ok, hello.Server, hello.Version, hello.Protocol, hello.Nonce, hello.MaxHeaderLength),
            (back.Op, back.Ok, back.Server, back.Version, back.Protocol, back.Nonce, back.MaxHeaderLength));
        Assert.Equal(hello.Ops, back.Ops);
        Assert.Empty(back.Auth);
    }

    [Fact]
    public void Reply_status_reads_success_and_failure_headers_alike()
    {
        var success = JsonSerializer.Deserialize(
            JsonSerializer.Serialize(new EchoReply { Id = 3, DataSize = 7 }, Json.EchoReply), Json.ReplyStatus)!;
        var failure = JsonSerializer.Deserialize(
            JsonSerializer.Serialize(
                new ErrorReply { Op = Ops.Time, Id = 4, Error = "invalid_format", Message = "bad %Q" }, Json.ErrorReply),
            Json.ReplyStatus)!;

        Assert.Equal((true, (long?)3, 7L, (string?)null), (success.Ok, success.Id, success.DataSize, success.Error));
        Assert.Equal(
            (false, (long?)4, Ops.Time, "invalid_format", "bad %Q"),
            (failure.Ok, failure.Id, failure.Op, failure.Error, failure.Message));
    }

    [Fact]
    public void Reads_what_python_json_dumps_writes()
    {
        var reply = JsonSerializer.Deserialize(
            """{"op": "time", "id": 2, "ok": true, "time": "2024\u5e741\u67082\u65e5"}""", Json.TimeReply)!;

        Assert.Equal("2024年1月2日", reply.Time);
        Assert.Equal(2, reply.Id);
    }

    [Theory]
    [InlineData("""{"op":"echo","id":"1"}""")]
    [InlineData("""{"op":"echo","data_size":"5"}""")]
    [InlineData("""{"op":"echo","upper":"true"}""")]
    [InlineData("""{"op":"echo","id":1.5}""")]
    public void Numbers_and_booleans_in_strings_are_refused(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, Json.EchoRequest));
    }

    [Fact]
    public void Every_header_type_is_registered()
    {
        Type[] types =
        [
            typeof(HelloMessage), typeof(ErrorReply), typeof(ReplyStatus), typeof(EchoRequest),
            typeof(EchoReply), typeof(TimeRequest), typeof(TimeReply),
        ];

        Assert.All(types, type => Assert.NotNull(Json.GetTypeInfo(type)));
    }

    // Settable properties, not init-only: source-generated metadata would reset missing init-only ones
    // to default and lose the initializers (dotnet/runtime#84484).
    [Fact]
    public void Fields_missing_from_a_header_keep_their_declared_defaults()
    {
        var hello = JsonSerializer.Deserialize("""{"op":"hello"}""", Json.HelloMessage)!;
        var error = JsonSerializer.Deserialize("""{"ok":false}""", Json.ErrorReply)!;
        var echo = JsonSerializer.Deserialize("""{"id":1}""", Json.EchoReply)!;

        Assert.Equal(("sockit", "", ProtocolInfo.Version, true), (hello.Server, hello.Version, hello.Protocol, hello.Ok));
        Assert.NotNull(hello.Ops);
        Assert.NotNull(hello.Auth);
        Assert.Equal(("", ""), (error.Error, error.Message));
        Assert.Equal((Ops.Echo, true), (echo.Op, echo.Ok));
    }
}
