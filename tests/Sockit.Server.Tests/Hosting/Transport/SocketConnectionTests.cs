using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Sockit.Server.Hosting.Transport;

namespace Sockit.Server.Tests.Hosting.Transport;

public sealed class SocketConnectionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_clients_FIN_completes_the_input_normally_and_fires_ConnectionClosed()
    {
        await using var pair = await LoopbackConnection.OpenAsync();
        var closed = Closed(pair.Server);

        await pair.Client.SendAsync("hello"u8.ToArray());
        pair.Client.Shutdown(SocketShutdown.Send);

        Assert.Equal("hello"u8.ToArray(), await pair.ReadToEndAsync().WaitAsync(Patience));
        await closed.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_reset_fails_the_input_with_ConnectionResetException()
    {
        await using var pair = await LoopbackConnection.OpenAsync();
        var closed = Closed(pair.Server);

        pair.Client.LingerState = new LingerOption(true, 0);
        pair.Client.Close();

        await Assert.ThrowsAsync<ConnectionResetException>(() => pair.ReadToEndAsync().WaitAsync(Patience));
        await closed.WaitAsync(Patience);
    }

    [Fact]
    public async Task Abort_closes_the_socket_and_the_reader_sees_ConnectionAbortedException()
    {
        await using var pair = await LoopbackConnection.OpenAsync();
        var reading = pair.ReadToEndAsync();

        pair.Server.Abort(new ConnectionAbortedException("enough"));

        var aborted = await Assert.ThrowsAsync<ConnectionAbortedException>(() => reading.WaitAsync(Patience));
        Assert.Equal("enough", aborted.Message);
        Assert.Equal(0, await pair.ClientReadToEndAsync().WaitAsync(Patience));
    }

    [Fact]
    public async Task Completing_the_output_sends_what_was_written_then_FIN_and_disposing_waits_for_both_loops()
    {
        await using var pair = await LoopbackConnection.OpenAsync();
        var closed = Closed(pair.Server);

        await pair.Server.Transport.Output.WriteAsync(new byte[100_000]);
        await pair.Server.Transport.Output.CompleteAsync();

        Assert.Equal(100_000, await pair.ClientReadToEndAsync().WaitAsync(Patience));
        await pair.Server.DisposeAsync().AsTask().WaitAsync(Patience);
        Assert.True(closed.IsCompleted);
        Assert.Equal(0, pair.Generation.Live);
    }

    [Fact]
    public async Task Many_blocks_written_at_once_go_out_in_few_gathered_sends()
    {
        await using var pair = await LoopbackConnection.OpenAsync();
        var output = pair.Server.Transport.Output;
        for (int i = 0; i < 40; i++)
        {
            var span = output.GetSpan(4096);
            span[..4096].Fill((byte)i);
            output.Advance(4096);
        }

        await output.FlushAsync();
        var received = new byte[40 * 4096];
        int total = 0;
        while (total < received.Length)
        {
            total += await pair.Client.ReceiveAsync(received.AsMemory(total)).AsTask().WaitAsync(Patience);
        }

        Assert.Equal(Enumerable.Range(0, 40).SelectMany(i => Enumerable.Repeat((byte)i, 4096)), received);
        Assert.InRange(pair.Server.Sends, 1, 2);
    }

    [Fact]
    public async Task A_streamed_upload_arrives_in_large_receives()
    {
        const int Size = 4 * 1024 * 1024;
        await using var pair = await LoopbackConnection.OpenAsync();

        var sending = SendAndCloseAsync(pair.Client, Size);
        var received = await pair.ReadToEndAsync().WaitAsync(Patience);
        await sending;

        Assert.Equal(Size, received.Length);
        Assert.Equal(PinnedBlockPool.LargestBlock, pair.Server.LargestBuffer);
        Assert.True(pair.Server.LargestReceive > 16 * 1024, $"largest receive {pair.Server.LargestReceive}");

        // Kestrel's fixed 4 KiB blocks would take 1,024 receives, each after a wait.
        Assert.True(pair.Server.Receives < Size / (16 * 1024), $"{pair.Server.Receives} receives");
        Assert.True(pair.Server.Waits < pair.Server.Receives, $"{pair.Server.Waits} waits for {pair.Server.Receives} receives");
    }

    [Fact]
    public async Task A_trickling_connection_never_holds_more_than_one_small_block()
    {
        await using var pair = await LoopbackConnection.OpenAsync();
        var input = pair.Server.Transport.Input;

        for (int i = 0; i < 50; i++)
        {
            await pair.Client.SendAsync(new[] { (byte)i });
            var result = await input.ReadAsync().AsTask().WaitAsync(Patience);
            Assert.Equal((byte)i, result.Buffer.FirstSpan[0]);
            Assert.True(pair.Generation.Pool.RentedBytes <= PinnedBlockPool.SmallestBlock, $"{pair.Generation.Pool.RentedBytes} bytes rented");
            input.AdvanceTo(result.Buffer.End);
        }

        Assert.Equal(PinnedBlockPool.SmallestBlock, pair.Server.LargestBuffer);
        Assert.True(pair.Server.Waits >= 50);
    }

    [Fact]
    public async Task An_idle_connection_holds_no_buffer()
    {
        await using var pair = await LoopbackConnection.OpenAsync();
        await pair.Client.SendAsync(new byte[10_000]);
        var input = pair.Server.Transport.Input;
        long read = 0;
        while (read < 10_000)
        {
            var result = await input.ReadAsync().AsTask().WaitAsync(Patience);
            read += result.Buffer.Length;
            input.AdvanceTo(result.Buffer.End);
        }

        // Everything read and consumed: the receive loop waits without a buffer and the pipe has handed its blocks back.
        Assert.Equal(0, pair.Generation.Pool.RentedBytes);
    }

    [Fact]
    public async Task A_parser_taking_one_byte_at_a_time_sees_every_byte_in_order()
    {
        const int Size = 300_000;
        await using var pair = await LoopbackConnection.OpenAsync();
        var sending = SendAndCloseAsync(pair.Client, Size);
        var input = pair.Server.Transport.Input;

        int next = 0;
        while (true)
        {
            var result = await input.ReadAsync().AsTask().WaitAsync(Patience);
            if (result.Buffer.IsEmpty && result.IsCompleted)
            {
                break;
            }

            Assert.Equal((byte)(next % 251), result.Buffer.FirstSpan[0]);
            next++;
            input.AdvanceTo(result.Buffer.GetPosition(1), result.Buffer.End);
        }

        await sending;
        Assert.Equal(Size, next);
    }

    [Fact]
    public async Task An_unread_input_stops_receiving_at_the_read_buffer_limit()
    {
        const int Size = 64 * 1024 * 1024;

        // A pipe counts back-pressure on the bytes its reader has not yet examined (not on the unconsumed ones), and
        // the receive loop flushes once per receive, so a read never shows more than the limit plus one receive
        // beyond what the reader had already looked at.
        const long FreshAtMost = BufferPoolGeneration.MaxReadBufferSize + PinnedBlockPool.LargestBlock;
        await using var pair = await LoopbackConnection.OpenAsync();
        var sending = SendAndCloseAsync(pair.Client, Size);
        var input = pair.Server.Transport.Input;

        // Look without consuming until the pipe holds the limit.
        long examined = 0;
        ReadResult result;
        do
        {
            result = await input.ReadAsync().AsTask().WaitAsync(Patience);
            Assert.InRange(result.Buffer.Length - examined, 1, FreshAtMost);
            examined = result.Buffer.Length;
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
        while (examined < BufferPoolGeneration.MaxReadBufferSize);

        Assert.False(sending.IsCompleted);

        long total = 0;
        while (true)
        {
            result = await input.ReadAsync().AsTask().WaitAsync(Patience);

            // The 64 MiB the client sends never pile up on the server.
            Assert.True(result.Buffer.Length - examined <= FreshAtMost, $"{result.Buffer.Length - examined} new bytes buffered");
            examined = 0;
            total += result.Buffer.Length;
            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await sending.WaitAsync(Patience);
        Assert.Equal(Size, total);
    }

    [Fact]
    public async Task A_client_that_does_not_read_makes_the_writers_flush_wait_until_it_does()
    {
        await using var pair = await LoopbackConnection.OpenAsync();
        var output = pair.Server.Transport.Output;
        var chunk = new byte[64 * 1024];
        long written = 0;
        Task<FlushResult>? waiting = null;
        while (waiting is null)
        {
            Assert.True(written < 512L * 1024 * 1024, "the flush never waited");
            written += chunk.Length;
            waiting = await FlushWaitsAsync(output.WriteAsync(chunk));
        }

        var reading = pair.ClientReadToEndAsync();
        await waiting.WaitAsync(Patience);
        await output.CompleteAsync();

        Assert.Equal(written, await reading.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_client_that_leaves_with_output_unread_while_a_send_waits_on_it_is_a_reset_not_a_FIN()
    {
        // Which of the send and the receive meets the end first is a race; several connections make it run both ways.
        for (int i = 0; i < 20; i++)
        {
            await using var pair = await LoopbackConnection.OpenAsync();
            var closed = Closed(pair.Server);
            pair.Client.ReceiveBufferSize = 4096;
            pair.Server.Socket.SendBufferSize = 4096;

            // Far more than both buffers hold: once the client has any of it, the server's send waits on the client.
            var writing = pair.Server.Transport.Output.WriteAsync(new byte[16 * 1024 * 1024]).AsTask();
            await pair.Client.ReceiveAsync(Memory<byte>.Empty).AsTask().WaitAsync(Patience);
            var reading = pair.ReadToEndAsync();

            // With data unread the close ends in a reset, though the server may read a FIN first; the waiting send
            // meets the reset, and may take its error before the receive does.
            pair.Client.Close();

            await Assert.ThrowsAsync<ConnectionResetException>(() => reading.WaitAsync(Patience));
            await closed.WaitAsync(Patience);
            Assert.True((await writing.WaitAsync(Patience)).IsCompleted);
        }
    }

    [Fact]
    public async Task The_features_Kestrel_and_Sockit_use_are_there()
    {
        await using var pair = await LoopbackConnection.OpenAsync();
        var features = pair.Server.Features;

        Assert.Same(pair.Server.Transport, features.Get<IConnectionTransportFeature>()!.Transport);
        Assert.Equal(pair.Server.ConnectionId, features.Get<IConnectionIdFeature>()!.ConnectionId);
        Assert.NotNull(features.Get<IConnectionItemsFeature>()!.Items);
        Assert.Equal(pair.Server.ConnectionClosed, features.Get<IConnectionLifetimeFeature>()!.ConnectionClosed);
        Assert.Equal(pair.Client.LocalEndPoint, features.Get<IConnectionEndPointFeature>()!.RemoteEndPoint);
        Assert.Equal(pair.Client.RemoteEndPoint, pair.Server.LocalEndPoint);
        Assert.IsType<PinnedBlockPool>(features.Get<IMemoryPoolFeature>()!.MemoryPool);
        Assert.NotNull(features.Get<IConnectionSocketFeature>()!.Socket);
    }

    [Fact]
    public async Task Ids_differ_between_connections()
    {
        await using var first = await LoopbackConnection.OpenAsync();
        await using var second = await LoopbackConnection.OpenAsync();

        Assert.NotEqual(first.Server.ConnectionId, second.Server.ConnectionId);
    }

    [Fact]
    public async Task A_Unix_socket_carries_data_both_ways()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sockit-transport-{Guid.NewGuid():N}.sock");
        try
        {
            await using var pair = await LoopbackConnection.OpenAsync(new UnixDomainSocketEndPoint(path));
            await RoundTripAsync(pair);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task IPv6_loopback_carries_data_both_ways()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return;
        }

        await using var pair = await LoopbackConnection.OpenAsync(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        await RoundTripAsync(pair);
        Assert.Equal(AddressFamily.InterNetworkV6, pair.Server.RemoteEndPoint!.AddressFamily);
    }

    [Fact]
    public async Task A_retired_generation_lets_its_pool_go_once_its_last_connection_ends()
    {
        var generation = new BufferPoolGeneration(NullLogger.Instance);
        var pair = await LoopbackConnection.OpenAsync(generation: generation);
        await pair.Client.SendAsync(new byte[1000]);
        pair.Client.Shutdown(SocketShutdown.Send);
        await pair.ReadToEndAsync().WaitAsync(Patience);
        generation.Retire();
        Assert.Equal(1, generation.Live);

        await pair.DisposeAsync();

        Assert.Equal(0, generation.Live);
        Assert.Equal(0, generation.Pool.KeptBytes);
    }

    private static async Task RoundTripAsync(LoopbackConnection pair)
    {
        await pair.Client.SendAsync("ping"u8.ToArray());
        pair.Client.Shutdown(SocketShutdown.Send);
        Assert.Equal("ping"u8.ToArray(), await pair.ReadToEndAsync().WaitAsync(Patience));

        await pair.Server.Transport.Output.WriteAsync("pong"u8.ToArray());
        await pair.Server.Transport.Output.CompleteAsync();
        Assert.Equal(4, await pair.ClientReadToEndAsync().WaitAsync(Patience));
    }

    /// <summary>The flush as a task if it has to wait; null, once it has completed, if it did not.</summary>
    private static async Task<Task<FlushResult>?> FlushWaitsAsync(ValueTask<FlushResult> flush)
    {
        if (!flush.IsCompleted)
        {
            return flush.AsTask();
        }

        await flush;
        return null;
    }

    private static Task Closed(ConnectionContext connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionClosed.Register(() => closed.TrySetResult());
        return closed.Task;
    }

    private static async Task SendAndCloseAsync(Socket client, int size)
    {
        var data = new byte[size];
        for (int i = 0; i < size; i++)
        {
            data[i] = (byte)(i % 251);
        }

        await client.SendAsync(data);
        client.Shutdown(SocketShutdown.Send);
    }
}
