using System.Diagnostics;
using System.IO.Pipelines;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Tests.Support;

namespace Sockit.Protocol.Tests.Framing;

/// <summary>
/// The reader's timeouts, each with a timer armed per read (this class) and with a shared
/// <see cref="FrameDeadlines"/> ticker (<see cref="FrameReaderTickerTimeoutTests"/>): both must behave alike.
/// </summary>
public class FrameReaderTimeoutTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private static readonly byte[] EchoFrame = RawFrames.Frame("""{"op":"echo","id":1,"data_size":10}""", "0123456789");

    private readonly Pipe _pipe = new();

    [Fact]
    public async Task Idle_timeout_when_nothing_arrives()
    {
        using var reader = new FrameReader(_pipe.Reader, Options(idle: Short, header: Long));
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<SockitTimeoutException>(
            () => reader.ReadHeadAsync().Bounded());

        Assert.Equal(SockitErrorCode.IdleTimeout, ex.Code);
        Assert.Contains("0.1 s", ex.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed >= Short * 0.8, $"timed out after {clock.Elapsed}");
    }

    [Fact]
    public async Task Idle_timeout_after_a_complete_frame_is_not_a_header_timeout()
    {
        await _pipe.Writer.WriteAsync(EchoFrame);
        using var reader = new FrameReader(_pipe.Reader, Options(idle: Short, header: Long));
        Assert.NotNull(await reader.ReadHeadAsync().Bounded());
        await reader.SkipBodyAsync().Bounded();

        var ex = await Assert.ThrowsAsync<SockitTimeoutException>(
            () => reader.ReadHeadAsync().Bounded());

        Assert.Equal(SockitErrorCode.IdleTimeout, ex.Code);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(20)]
    public async Task Header_timeout_when_a_partial_head_stalls(int received)
    {
        await _pipe.Writer.WriteAsync(EchoFrame.AsMemory(0, received));
        using var reader = new FrameReader(_pipe.Reader, Options(idle: Long, header: Short));

        var ex = await Assert.ThrowsAsync<SockitTimeoutException>(
            () => reader.ReadHeadAsync().Bounded());

        Assert.Equal(SockitErrorCode.HeaderTimeout, ex.Code);
    }

    [Fact]
    public async Task Header_timeout_when_the_next_head_starts_in_the_same_read_and_stalls()
    {
        await _pipe.Writer.WriteAsync(RawFrames.Concat(EchoFrame, EchoFrame[..10]));
        using var reader = new FrameReader(_pipe.Reader, Options(idle: Long, header: Short));
        Assert.NotNull(await reader.ReadHeadAsync().Bounded());
        await reader.SkipBodyAsync().Bounded();

        var ex = await Assert.ThrowsAsync<SockitTimeoutException>(
            () => reader.ReadHeadAsync().Bounded());

        Assert.Equal(SockitErrorCode.HeaderTimeout, ex.Code);
    }

    [Fact]
    public async Task Header_timeout_bounds_the_whole_header_not_each_piece()
    {
        // A slow peer sends the header one byte per 50 ms: each byte comes well within the 300 ms header
        // timeout, but the whole 40-byte header would take two seconds. The timer paces the simulated peer;
        // nothing in the test waits on it to synchronise.
        byte[] frame = RawFrames.Frame("""{"op":"echo","id":1,"comment":"slowly"}""");
        using var reader = new FrameReader(
            _pipe.Reader, Options(idle: Long, header: TimeSpan.FromMilliseconds(300)));
        using var stop = new CancellationTokenSource();
        var trickling = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            for (int i = 0; i < frame.Length && await timer.WaitForNextTickAsync(stop.Token); i++)
            {
                await _pipe.Writer.WriteAsync(frame.AsMemory(i, 1));
            }
        });

        var failure = await Record.ExceptionAsync(() => reader.ReadHeadAsync().Bounded());
        await stop.CancelAsync();
        await trickling.ContinueWith(_ => { }, TaskScheduler.Default);

        var ex = Assert.IsType<SockitTimeoutException>(failure);
        Assert.Equal(SockitErrorCode.HeaderTimeout, ex.Code);
        Assert.Contains("0.3 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idle_timeout_while_waiting_for_the_rest_of_a_body()
    {
        await _pipe.Writer.WriteAsync(EchoFrame.AsMemory()[..^4]);
        using var reader = new FrameReader(_pipe.Reader, Options(idle: Short, header: Long));
        Assert.NotNull(await reader.ReadHeadAsync().Bounded());

        var ex = await Assert.ThrowsAsync<SockitTimeoutException>(
            () => reader.ReadBodyAsArrayAsync(100).Bounded());

        Assert.Equal(SockitErrorCode.IdleTimeout, ex.Code);
    }

    [Fact]
    public async Task Idle_timeout_while_skipping_an_unread_body_for_the_next_head()
    {
        await _pipe.Writer.WriteAsync(EchoFrame.AsMemory()[..^4]);
        using var reader = new FrameReader(_pipe.Reader, Options(idle: Short, header: Long));
        Assert.NotNull(await reader.ReadHeadAsync().Bounded());

        var ex = await Assert.ThrowsAsync<SockitTimeoutException>(
            () => reader.ReadHeadAsync().Bounded());

        Assert.Equal(SockitErrorCode.IdleTimeout, ex.Code);
    }

    [Fact]
    public async Task Many_reads_within_their_timeouts_succeed()
    {
        const int Count = 1000;
        await _pipe.Writer.WriteAsync(RawFrames.Concat([.. Enumerable.Repeat(EchoFrame, Count)]));
        using var reader = new FrameReader(_pipe.Reader, Options(idle: Long, header: Long));

        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(1, (await reader.ReadHeadAsync().Bounded())?.Id);
            Assert.Equal(10, (await reader.ReadBodyAsArrayAsync(10).Bounded()).Length);
        }

        var pending = reader.ReadHeadAsync().AsTask();
        await _pipe.Writer.CompleteAsync();
        Assert.Null(await pending.Bounded());
    }

    public static TheoryData<string, bool> CancellationCases => new()
    {
        { "idle", false },
        { "idle", true },
        { "partial head", false },
        { "partial head", true },
        { "body", false },
        { "body", true },
    };

    [Theory]
    [MemberData(nameof(CancellationCases))]
    public async Task External_cancellation_gives_operation_canceled_not_a_timeout(string waitingFor, bool withTimeouts)
    {
        var options = withTimeouts ? Options(idle: Long, header: Long) : new FrameReaderOptions();
        using var reader = new FrameReader(_pipe.Reader, options);
        using var cts = new CancellationTokenSource();
        Task reading;
        switch (waitingFor)
        {
            case "idle":
                reading = reader.ReadHeadAsync(cts.Token).AsTask();
                break;
            case "partial head":
                await _pipe.Writer.WriteAsync(EchoFrame.AsMemory(0, 6));
                reading = reader.ReadHeadAsync(cts.Token).AsTask();
                break;
            default:
                await _pipe.Writer.WriteAsync(EchoFrame.AsMemory()[..^4]);
                Assert.NotNull(await reader.ReadHeadAsync().Bounded());
                reading = reader.ReadBodyAsArrayAsync(100, cts.Token).AsTask();
                break;
        }

        Assert.False(reading.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.Bounded());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_already_cancelled_token_gives_operation_canceled(bool withTimeouts)
    {
        var options = withTimeouts ? Options(idle: Short, header: Short) : new FrameReaderOptions();
        using var reader = new FrameReader(_pipe.Reader, options);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => reader.ReadHeadAsync(new CancellationToken(canceled: true)).Bounded());
    }

    [Fact]
    public async Task Timeouts_still_work_after_a_cancelled_read()
    {
        using var reader = new FrameReader(_pipe.Reader, Options(idle: Short, header: Long));
        using (var cts = new CancellationTokenSource())
        {
            var cancelled = reader.ReadHeadAsync(cts.Token).AsTask();
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Bounded());
        }

        await _pipe.Writer.WriteAsync(EchoFrame);
        Assert.Equal(1, (await reader.ReadHeadAsync().Bounded())?.Id);
        await reader.SkipBodyAsync().Bounded();

        var ex = await Assert.ThrowsAsync<SockitTimeoutException>(
            () => reader.ReadHeadAsync().Bounded());
        Assert.Equal(SockitErrorCode.IdleTimeout, ex.Code);
    }

    /// <summary>The shared ticker the reader uses, or <see langword="null"/> for a timer per read.</summary>
    protected virtual FrameDeadlines? Deadlines => null;

    private FrameReaderOptions Options(TimeSpan idle, TimeSpan header) =>
        new() { IdleTimeout = idle, HeaderTimeout = header, Deadlines = Deadlines };
}
