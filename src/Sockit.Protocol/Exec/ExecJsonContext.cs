using System.Text.Json.Serialization;

namespace Sockit.Protocol.Exec;

/// <summary>Source-generated JSON metadata for the headers of remote commands (snake_case on the wire).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ExecRequest))]
[JsonSerializable(typeof(ExecOutput))]
[JsonSerializable(typeof(ExecReply))]
[JsonSerializable(typeof(ExecControl))]
public sealed partial class ExecJsonContext : JsonSerializerContext
{
}
