using System.Text;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>Raw protocol-2 frames for the session tests: headers written as JSON text, every frame read whole.</summary>
internal static class SessionFrames
{
    /// <summary>Sends one frame: <paramref name="header"/> as written, then <paramref name="body"/> (and its size, if not given).</summary>
    public static Task SendFrameAsync(this FrameConnection connection, string header, byte[]? body = null) =>
        connection.SendAsync(RawFrame.Build(header, body));

    /// <summary>Sends several frames in one write, as a pipelining client does.</summary>
    public static Task SendTogetherAsync(this FrameConnection connection, params IEnumerable<byte[]> frames) =>
        connection.SendAsync(frames.SelectMany(frame => frame).ToArray());

    /// <summary>Sends an <c>input</c> frame for request <paramref name="id"/>.</summary>
    public static Task SendInputAsync(this FrameConnection connection, long id, byte[] chunk) =>
        connection.SendFrameAsync($$"""{"kind":"input","id":{{id}},"data_size":{{chunk.Length}}}""", chunk);

    /// <summary>A <c>test-stream</c> request header; <paramref name="extra"/> is more JSON fields, e.g. <c>"parts":2</c>.</summary>
    public static string Stream(long? id, string extra = "") =>
        "{\"op\":\"test-stream\"" + IdField(id) + (extra.Length > 0 ? "," + extra : "") + "}";

    private static string IdField(long? id) => id is null ? "" : $",\"id\":{id}";

    /// <summary>Reads the next frame, whatever it is.</summary>
    public static Task<(WireFrame Header, byte[] Body)> ReadFrameAsync(this FrameConnection connection) =>
        connection.ReadAsync(SessionsJsonContext.Default.WireFrame);

    /// <summary>
    /// Reads what a streamed <c>put</c> answers first: its offset part, then the grant that widens its input window to
    /// <paramref name="widenedWindow"/> (4 MiB by default, from the server's default 256 KiB), if there is one.
    /// </summary>
    public static async Task<WireFrame> ReadPutOffsetAsync(this FrameConnection connection, long id, int? widenedWindow = 4 * 1024 * 1024)
    {
        var (offset, _) = await connection.ReadFrameAsync();
        Assert.Equal(("part", id), (offset.Kind, offset.Id));
        if (widenedWindow is int window)
        {
            var (grant, _) = await connection.ReadFrameAsync();
            Assert.Equal(("window", (long?)id, (long?)(window - 256 * 1024)), (grant.Kind, grant.Id, grant.Credit));
        }

        return offset;
    }

    /// <summary>Reads frames up to and including the final reply (or error) of request <paramref name="id"/>.</summary>
    public static Task<List<(WireFrame Header, byte[] Body)>> ReadUntilFinalAsync(this FrameConnection connection, long? id) =>
        connection.ReadUntilFinalsAsync(id);

    /// <summary>Reads frames until every request in <paramref name="ids"/> has had its final reply (or error).</summary>
    public static async Task<List<(WireFrame Header, byte[] Body)>> ReadUntilFinalsAsync(this FrameConnection connection, params long?[] ids)
    {
        var frames = new List<(WireFrame, byte[])>();
        var waiting = ids.ToList();
        while (waiting.Count > 0)
        {
            var frame = await connection.ReadFrameAsync();
            frames.Add(frame);
            if (frame.Header.Kind is null)
            {
                waiting.Remove(frame.Header.Id);
            }
        }

        return frames;
    }

    /// <summary>Asserts that a frame is the final reply of request <paramref name="id"/> of op <paramref name="op"/>, and that it succeeded.</summary>
    public static void AssertOkReply(WireFrame frame, string op, long? id)
    {
        Assert.Null(frame.Kind);
        Assert.Equal(op, frame.Op);
        Assert.Equal(id, frame.Id);
        Assert.True(frame.Ok, frame.ToString());
    }

    /// <summary>Asserts that a frame is an error reply with <paramref name="code"/>.</summary>
    public static void AssertError(WireFrame frame, string code, long? id)
    {
        Assert.Null(frame.Kind);
        Assert.False(frame.Ok, frame.ToString());
        Assert.Equal(code, frame.Error);
        Assert.Equal(id, frame.Id);
    }

    /// <summary>Asserts that a frame is part <paramref name="seq"/> of request <paramref name="id"/>.</summary>
    public static void AssertPart(WireFrame frame, long? id, int seq, string source = "gen")
    {
        Assert.Equal("part", frame.Kind);
        Assert.Equal(TestStreamOperation.OpName, frame.Op);
        Assert.Equal(id, frame.Id);
        Assert.Equal(seq, frame.Seq);
        Assert.Equal(source, frame.Source);
        Assert.Null(frame.Ok);
    }

    /// <summary>A quick <c>echo</c> while other things run: its reply must come next.</summary>
    public static async Task AssertEchoAnsweredAsync(this FrameConnection connection, long? id, string text = "ping")
    {
        var body = Encoding.UTF8.GetBytes(text);
        await connection.SendFrameAsync($$"""{"op":"echo"{{IdField(id)}},"data_size":{{body.Length}}}""", body);
        var (reply, echoed) = await connection.ReadFrameAsync();
        AssertOkReply(reply, "echo", id);
        Assert.Equal(body, echoed);
    }
}
