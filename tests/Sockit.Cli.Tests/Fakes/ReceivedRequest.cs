using System.Text;
using System.Text.Json;

namespace Sockit.Cli.Tests.Fakes;

/// <summary>A request frame the fake server received.</summary>
public sealed record ReceivedRequest(string HeaderJson, JsonElement Header, byte[] Body)
{
    public string Op => Header.GetProperty("op").GetString()!;

    public long Id => Header.GetProperty("id").GetInt64();

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Format => Header.TryGetProperty("format", out var format) ? format.GetString() : null;

    public bool HasFormat => Header.TryGetProperty("format", out _);
}
