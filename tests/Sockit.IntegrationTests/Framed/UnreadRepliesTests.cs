using System.Net.Sockets;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.IntegrationTests.Framed;

/// <summary>
/// A client that pipelines requests and never reads the replies must not make the server buffer replies without
/// bound: the server stops reading once its unsent output passes a threshold, and the write deadline then resets
/// the connection. What the client manages to send before that is capped by socket buffers, not by server memory.
/// </summary>
public sealed class UnreadRepliesTests
{
    // Kernel socket buffers on both sides plus the server's pipes hold a few tens of MiB at most on loopback;
    // without a bound the server reads on and on.
    private const long MostAcceptedBytes = 64L * 1024 * 1024;
    private const long GiveUpAfterBytes = 256L * 1024 * 1024;

    public static TheoryData<string> Floods => new() { "upper-echo", "long-time", "unknown-op" };

    [Theory]
    [MemberData(nameof(Floods))]
    public async Task Pipelined_requests_whose_replies_are_never_read_are_cut_off_after_a_bounded_amount(string flood)
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:WriteTimeout"] = "00:00:01" });
        var connection = await FrameConnection.OpenAsync(server.Framed);
        connection.Socket.ReceiveBufferSize = 4096;
        var payload = FloodFrames(flood);

        // Every write ends inside a small echo's body and the next write completes it, so whenever the server looks
        // for the next request its header has already arrived: it never finds itself idle between requests.
        var straddler = FrameWriter.Encode(
            new EchoRequest { DataSize = 16, Upper = true }, SockitJsonContext.Default.EchoRequest, new byte[16]);
        int split = straddler.Length - 8;
        byte[] chunk = [.. straddler.AsSpan(split), .. payload, .. straddler.AsSpan(0, split)];

        long sent = 0;
        var reset = false;
        using var socketStream = new NetworkStream(connection.Socket, ownsSocket: false);
        try
        {
            await socketStream.WriteAsync(straddler.AsMemory(0, split));
            while (sent < GiveUpAfterBytes)
            {
                await socketStream.WriteAsync(chunk);
                sent += chunk.Length;
            }
        }
        catch (IOException ex) when (ex.InnerException is SocketException)
        {
            reset = true;
        }

        Assert.True(reset, $"the server kept accepting requests: {sent:N0} bytes sent while no reply was read");
        Assert.True(sent < MostAcceptedBytes, $"the server accepted {sent:N0} bytes of requests before cutting the client off");
        Assert.Contains(server.Log.Entries, e => e.Message.Contains("timeout", StringComparison.Ordinal));
        await connection.DisposeAsync();

        // Everyone else is still served.
        await using var other = await FrameConnection.OpenAsync(server.Framed);
        await BadInputTests.AssertServesEchoAsync(other);
    }

    private static byte[] FloodFrames(string flood)
    {
        switch (flood)
        {
            case "upper-echo":
                var body = Encoding.UTF8.GetBytes(new string('a', 64 * 1024));
                return FrameWriter.Encode(
                    new EchoRequest { DataSize = body.Length, Upper = true }, SockitJsonContext.Default.EchoRequest, body);
            case "long-time":
                // A format that expands about twelvefold (each %c is some 24 characters) to just under the longest time
                // text a reply may carry.
                var time = FrameWriter.Encode(
                    new TimeRequest { Format = string.Concat(Enumerable.Repeat("%c", 160)) }, SockitJsonContext.Default.TimeRequest);
                return [.. Enumerable.Repeat(time, 64).SelectMany(frame => frame)];
            default:
                // Refusals are replies too.
                var refused = RawFrame.Build("{\"op\":\"" + new string('x', 2000) + "\"}");
                return [.. Enumerable.Repeat(refused, 16).SelectMany(frame => frame)];
        }
    }
}
