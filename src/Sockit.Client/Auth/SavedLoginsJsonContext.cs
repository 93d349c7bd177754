using System.Text.Json.Serialization;

namespace Sockit.Client.Auth;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(SavedLoginsFile))]
internal sealed partial class SavedLoginsJsonContext : JsonSerializerContext
{
}
