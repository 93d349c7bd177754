using System.Text.Json;

namespace Sockit.Cli.Tests.Fakes;

/// <summary>What the fake server sends back: a raw JSON header and an optional body.</summary>
public sealed record FakeReply(string HeaderJson, byte[]? Body = null, bool ThenClose = false)
{
    /// <summary>Send nothing and close the connection.</summary>
    public static FakeReply HangUp { get; } = new("", null, ThenClose: true);

    public static FakeReply Ok(ReceivedRequest request, byte[] body) =>
        new($$"""{"op":"{{request.Op}}","id":{{request.Id}},"ok":true,"data_size":{{body.Length}}}""", body);

    public static FakeReply Time(ReceivedRequest request, string time) =>
        new($$"""{"op":"time","id":{{request.Id}},"ok":true,"time":{{JsonSerializer.Serialize(time)}}}""");

    public static FakeReply Error(ReceivedRequest request, string code, string message) =>
        new($$"""{"op":"{{request.Op}}","id":{{request.Id}},"ok":false,"error":"{{code}}","message":{{JsonSerializer.Serialize(message)}}}""");
}
