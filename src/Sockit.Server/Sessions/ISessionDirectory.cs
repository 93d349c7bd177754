using System.Text.Json.Serialization.Metadata;

namespace Sockit.Server.Sessions;

/// <summary>The live framed connections of the server: to find them, and to push events to them.</summary>
public interface ISessionDirectory
{
    /// <summary>The connections open now (a snapshot).</summary>
    IReadOnlyCollection<SockitSession> Sessions { get; }

    /// <summary>The connections logged in as <paramref name="userName"/> now.</summary>
    IReadOnlyList<SockitSession> FindByUser(string userName);

    /// <summary>
    /// Sends an event to every connection subscribed to <paramref name="topic"/>. The header must be an event header
    /// (<c>kind: "event"</c>, the topic, and a <c>data_size</c> equal to <paramref name="body"/>'s length); it is
    /// encoded once for all. Returns how many connections it was queued for; a connection whose queue is full loses it
    /// (and hears how many it lost).
    /// </summary>
    int Publish<T>(string topic, T header, JsonTypeInfo<T> typeInfo, ReadOnlySpan<byte> body = default);
}
