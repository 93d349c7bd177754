using System.Text;
using System.Text.Json;

namespace Sockit.Client.Tests.Fakes;

/// <summary>A frame the fake server received: the header as text and as JSON, and the body.</summary>
public sealed record ReceivedFrame(string HeaderJson, JsonElement Header, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public long Id => Header.GetProperty("id").GetInt64();

    public string Op => Header.GetProperty("op").GetString()!;

    /// <summary>The header's field names in order, to pin down exactly what goes on the wire.</summary>
    public IReadOnlyList<string> FieldNames => [.. Header.EnumerateObject().Select(p => p.Name)];
}
