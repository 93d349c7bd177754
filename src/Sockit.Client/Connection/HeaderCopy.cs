using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sockit.Protocol.Errors;

namespace Sockit.Client.Connection;

/// <summary>Reads a header the client keeps a copy of (a part's, an event's) into a typed object.</summary>
internal static class HeaderCopy
{
    /// <exception cref="SockitProtocolException">The header is not an object of that shape.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> header, JsonTypeInfo<T> typeInfo, string what)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        try
        {
            return JsonSerializer.Deserialize(header, typeInfo)
                ?? throw new SockitProtocolException(SockitErrorCode.HeaderNotObject, $"the {what}'s header is null");
        }
        catch (JsonException ex)
        {
            throw new SockitProtocolException(SockitErrorCode.InvalidField, $"a field of the {what}'s header has the wrong type", ex);
        }
    }
}
