using Sockit.Server.Sessions;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>
/// A test-only operation that uses everything protocol 2 gives an operation: it reads its body, sends parts, reads its
/// input and sends each chunk back as a part, then replies; optionally it waits for the test's gates in between (see
/// <see cref="StreamRequest"/>), and it tells the <see cref="SessionProbe"/> when it starts and ends and why.
/// </summary>
internal sealed class TestStreamOperation(SessionProbe probe) : ISockitOperation
{
    public const string OpName = "test-stream";

    public string Name => OpName;

    public long MaxBodyLength => 1024 * 1024;

    public async ValueTask ExecuteAsync(SockitRequest request)
    {
        // The header bytes are only valid until the body is read.
        var header = request.Head.Deserialize(SessionsJsonContext.Default.StreamRequest);
        var tag = header.Tag ?? request.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
        probe.OnStarted(tag);
        try
        {
            if (header.Yield)
            {
                await Task.Yield();
            }

            var body = await request.ReadBodyAsArrayAsync(MaxBodyLength);
            for (int seq = 0; seq < header.Parts; seq++)
            {
                await PassAsync(request, header, $"{tag}/{seq}");
                var part = new byte[header.PartSize];
                Array.Fill(part, (byte)seq);
                await SendPartAsync(request, seq, "gen", part);
            }

            long inputBytes = 0;
            if (header.EchoInput)
            {
                await PassAsync(request, header, $"{tag}/input");
                var buffer = new byte[header.ReadSize];
                for (int seq = 0; ; seq++)
                {
                    int count = await request.ReadInputAsync(buffer);
                    if (count == 0)
                    {
                        break;
                    }

                    probe.OnInput(tag, count);
                    inputBytes += count;
                    await SendPartAsync(request, seq, "input", buffer.AsMemory(0, count));
                }
            }

            await PassAsync(request, header, $"{tag}/end");
            if (header.FailIo)
            {
                throw new IOException("Input/output error");
            }

            await request.ReplyAsync(
                new StreamReply { Op = request.Op, Id = request.Id, Parts = header.Parts, InputBytes = inputBytes, BodyBytes = body.Length },
                SessionsJsonContext.Default.StreamReply);
        }
        finally
        {
            probe.OnEnded(tag, request.AbortReason);
        }
    }

    private Task PassAsync(SockitRequest request, StreamRequest header, string gate) =>
        header.Gated ? probe.WaitAsync(gate, request.Aborted) : Task.CompletedTask;

    private static ValueTask SendPartAsync(SockitRequest request, int seq, string source, ReadOnlyMemory<byte> body) =>
        request.SendPartAsync(
            new StreamPart { Op = request.Op, Id = request.Id, Seq = seq, Source = source, DataSize = body.Length },
            SessionsJsonContext.Default.StreamPart,
            body);
}
