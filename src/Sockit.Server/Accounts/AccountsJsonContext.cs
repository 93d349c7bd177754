using System.Text.Json.Serialization;

namespace Sockit.Server.Accounts;

/// <summary>Source-generated JSON for the users file (camelCase, indented so an operator can read it).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(UserStoreFile))]
internal sealed partial class AccountsJsonContext : JsonSerializerContext
{
}
