using System.Text.Json.Serialization;

namespace Sockit.Protocol.Files;

/// <summary>Source-generated JSON metadata for the file service's headers (snake_case on the wire).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(FileEntry))]
[JsonSerializable(typeof(ListRequest))]
[JsonSerializable(typeof(ListPart))]
[JsonSerializable(typeof(ListReply))]
[JsonSerializable(typeof(PathRequest))]
[JsonSerializable(typeof(StatReply))]
[JsonSerializable(typeof(FileReply))]
[JsonSerializable(typeof(MoveRequest))]
[JsonSerializable(typeof(DiskUsageReply))]
[JsonSerializable(typeof(PutRequest))]
[JsonSerializable(typeof(PutOffset))]
[JsonSerializable(typeof(PutEnd))]
[JsonSerializable(typeof(PutReply))]
[JsonSerializable(typeof(GetRequest))]
[JsonSerializable(typeof(GetInfo))]
[JsonSerializable(typeof(GetData))]
[JsonSerializable(typeof(GetReply))]
public sealed partial class FilesJsonContext : JsonSerializerContext
{
}
