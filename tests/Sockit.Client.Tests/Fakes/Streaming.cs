using System.Text;
using Sockit.Protocol.Messages;

namespace Sockit.Client.Tests.Fakes;

/// <summary>The client and fake-server steps of protocol 2 tests: streamed echo calls, parts, subscriptions.</summary>
public static class Streaming
{
    private static readonly SockitJsonContext Json = SockitJsonContext.Default;

    public static Task<SockitCall<EchoReply>> StartEchoCallAsync(
        SockitClient client, SockitCallOptions? options = null, CancellationToken cancellationToken = default) =>
        client.StartAsync(id => new EchoRequest { Id = id }, Json.EchoRequest, Json.EchoReply, options: options, cancellationToken: cancellationToken)
            .Within();

    public static Task SendPartAsync(FakeConnection connection, long id, string body) =>
        connection.SendAsync($$"""{"op":"echo","id":{{id}},"kind":"part","data_size":{{Encoding.UTF8.GetByteCount(body)}}}""", Encoding.UTF8.GetBytes(body));

    public static async Task<List<string>> ReadPartsAsync(SockitCall<EchoReply> call)
    {
        var bodies = new List<string>();
        await foreach (var part in call.Frames)
        {
            bodies.Add(Encoding.UTF8.GetString(part.Body.Span));
        }

        return bodies;
    }

    /// <summary>Subscribes to <paramref name="topic"/>, the fake server agreeing.</summary>
    public static async Task<SockitSubscription> SubscribeAsync(SockitClient client, FakeConnection connection, string topic)
    {
        var subscribing = client.SubscribeAsync([topic]);
        var request = await connection.ReceiveRequiredAsync();
        Assert.Equal("subscribe", request.Op);
        await connection.SendAsync($$"""{"op":"subscribe","id":{{request.Id}},"ok":true,"topics":["{{topic}}"]}""");
        return await subscribing.Within();
    }
}
