using System.Text.Json.Serialization;

namespace Sockit.Protocol.Messages;

/// <summary>Source-generated JSON metadata for every header type of the protocol (snake_case on the wire).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(HelloMessage))]
[JsonSerializable(typeof(ErrorReply))]
[JsonSerializable(typeof(ReplyStatus))]
[JsonSerializable(typeof(EchoRequest))]
[JsonSerializable(typeof(EchoReply))]
[JsonSerializable(typeof(TimeRequest))]
[JsonSerializable(typeof(TimeReply))]
[JsonSerializable(typeof(AuthRequest))]
[JsonSerializable(typeof(AuthReply))]
[JsonSerializable(typeof(WhoAmIRequest))]
[JsonSerializable(typeof(WhoAmIReply))]
[JsonSerializable(typeof(ControlFrame))]
[JsonSerializable(typeof(SubscribeRequest))]
[JsonSerializable(typeof(SubscribeReply))]
[JsonSerializable(typeof(ServerEvent))]
public sealed partial class SockitJsonContext : JsonSerializerContext
{
}
