using System.Text;
using Sockit.Protocol.Errors;
using Sockit.Server.Sessions;

namespace Sockit.Server.Tests.Sessions;

/// <summary>A request's input: buffered from <c>input</c> frames, read by the operation, granted back as window credit.</summary>
public sealed class SockitRequestInputTests
{
    [Fact]
    public async Task Input_is_read_in_order_across_the_chunks_it_came_in()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync();
        await harness.AcceptInputAsync(request, "abc"u8.ToArray());
        await harness.AcceptInputAsync(request, "defgh"u8.ToArray());
        request.EndInput();

        var read = new List<string>();
        var buffer = new byte[2];
        int count;
        while ((count = await request.ReadInputAsync(buffer)) > 0)
        {
            read.Add(Encoding.ASCII.GetString(buffer, 0, count));
        }

        Assert.Equal(["ab", "cd", "ef", "gh"], read);
    }

    [Fact]
    public async Task A_read_waits_for_input_and_wakes_when_it_arrives()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync();
        var buffer = new byte[10];

        var read = request.ReadInputAsync(buffer).AsTask();
        Assert.False(read.IsCompleted);
        await harness.AcceptInputAsync(request, "xyz"u8.ToArray());

        Assert.Equal(3, await read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("xyz"u8.ToArray(), buffer[..3]);
    }

    [Fact]
    public async Task After_end_the_input_sent_before_it_is_still_read_then_reads_return_zero()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync();
        await harness.AcceptInputAsync(request, "abc"u8.ToArray());
        request.EndInput();
        var buffer = new byte[10];

        Assert.Equal(3, await request.ReadInputAsync(buffer));
        Assert.Equal(0, await request.ReadInputAsync(buffer));
        Assert.Equal(0, await request.ReadInputAsync(buffer));
    }

    [Fact]
    public async Task Credit_is_granted_once_half_the_window_has_been_read_and_not_before()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(inputWindow: 1000);
        await harness.AcceptInputAsync(request, new byte[600]);

        Assert.Equal(499, await request.ReadInputAsync(new byte[499]));
        await harness.AssertNothingSentAsync();
        Assert.Equal(1, await request.ReadInputAsync(new byte[1]));
        var (window, _) = await harness.ReadSentAsync();
        Assert.Equal(100, await request.ReadInputAsync(new byte[1000]));
        await harness.AssertNothingSentAsync();

        Assert.Equal("window", window.Kind);
        Assert.Equal(1, window.Id);
        Assert.Equal(500, window.Credit);
    }

    [Fact]
    public async Task Input_up_to_the_window_is_taken_and_one_byte_more_is_flow_control()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(inputWindow: 1000);
        await harness.AcceptInputAsync(request, new byte[600]);
        await harness.AcceptInputAsync(request, new byte[400]);

        var refused = await Assert.ThrowsAsync<SockitProtocolException>(() => harness.AcceptInputAsync(request, [1]));

        Assert.Equal(SockitErrorCode.FlowControl, refused.Code);
        Assert.Equal(1, refused.RequestId);
    }

    [Fact]
    public async Task After_a_grant_the_client_may_send_exactly_that_much_more()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(inputWindow: 1000);
        await harness.AcceptInputAsync(request, new byte[1000]);
        Assert.Equal(700, await request.ReadInputAsync(new byte[700]));
        Assert.Equal(700, (await harness.ReadSentAsync()).Header.Credit);

        await harness.AcceptInputAsync(request, new byte[700]);
        var refused = await Assert.ThrowsAsync<SockitProtocolException>(() => harness.AcceptInputAsync(request, [1]));

        Assert.Equal(SockitErrorCode.FlowControl, refused.Code);
    }

    [Fact]
    public async Task A_widened_window_is_granted_at_once_and_held_to_exactly()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(inputWindow: 1000);

        await request.WidenInputWindowAsync(4000);
        var (window, _) = await harness.ReadSentAsync();
        await harness.AcceptInputAsync(request, new byte[4000]);
        var refused = await Assert.ThrowsAsync<SockitProtocolException>(() => harness.AcceptInputAsync(request, [1]));

        Assert.Equal("window", window.Kind);
        Assert.Equal(1, window.Id);
        Assert.Equal(3000, window.Credit);
        Assert.Equal(SockitErrorCode.FlowControl, refused.Code);
    }

    [Fact]
    public async Task A_widened_window_grants_every_half_of_it_and_a_narrower_one_changes_nothing()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(inputWindow: 1000);
        await request.WidenInputWindowAsync(4000);
        await harness.ReadSentAsync();
        await request.WidenInputWindowAsync(2000);
        await harness.AssertNothingSentAsync();
        await harness.AcceptInputAsync(request, new byte[4000]);

        Assert.Equal(1999, await request.ReadInputAsync(new byte[1999]));
        await harness.AssertNothingSentAsync();
        Assert.Equal(1, await request.ReadInputAsync(new byte[1]));
        Assert.Equal(2000, (await harness.ReadSentAsync()).Header.Credit);
    }

    [Fact]
    public async Task A_reused_request_object_is_back_to_the_servers_window()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(inputWindow: 1000);
        await request.WidenInputWindowAsync(4000);
        await harness.ReadSentAsync();
        request.Release();

        await harness.StartAsync(request);
        await harness.AcceptInputAsync(request, new byte[1000]);
        var refused = await Assert.ThrowsAsync<SockitProtocolException>(() => harness.AcceptInputAsync(request, [1]));

        Assert.Equal(SockitErrorCode.FlowControl, refused.Code);
    }

    [Fact]
    public async Task Input_after_end_is_discarded_and_the_reader_moves_on_to_the_next_frame()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync();
        request.EndInput();

        await harness.AcceptInputAsync(request, "late"u8.ToArray());
        var next = await harness.ClientSendsAsync("""{"kind":"end","id":1}""");

        Assert.Equal(0, await request.ReadInputAsync(new byte[10]));
        Assert.Equal(Protocol.Framing.FrameKind.End, next.Kind);
    }

    [Fact]
    public async Task An_abort_wakes_a_waiting_read_with_OperationCanceledException_and_fires_Aborted()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync();
        var aborted = request.Aborted;

        var read = request.ReadInputAsync(new byte[10]).AsTask();
        request.Abort(AbortReason.Cancelled);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(aborted.IsCancellationRequested);
        Assert.Equal(AbortReason.Cancelled, request.AbortReason);
    }

    [Fact]
    public async Task The_first_abort_reason_stays_and_a_token_asked_for_afterwards_has_fired()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync();

        request.Abort(AbortReason.Disconnected);
        request.Abort(AbortReason.Cancelled);

        Assert.Equal(AbortReason.Disconnected, request.AbortReason);
        Assert.True(request.Aborted.IsCancellationRequested);
    }

    [Fact]
    public async Task A_reused_request_object_starts_with_a_fresh_token_and_window()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(inputWindow: 1000);
        var first = request.Aborted;
        await harness.AcceptInputAsync(request, new byte[1000]);
        request.Abort(AbortReason.Cancelled);
        request.Release();

        await harness.StartAsync(request);

        Assert.True(first.IsCancellationRequested);
        Assert.False(request.Aborted.IsCancellationRequested);
        Assert.Equal(AbortReason.None, request.AbortReason);
        await harness.AcceptInputAsync(request, new byte[1000]);
    }

    [Fact]
    public async Task A_read_for_at_least_some_bytes_waits_until_they_have_all_arrived_then_takes_what_is_there()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(inputWindow: 1000);
        var buffer = new byte[500];

        var read = request.ReadInputAtLeastAsync(buffer, 200).AsTask();
        await harness.AcceptInputAsync(request, new byte[120]);
        Assert.False(read.IsCompleted);
        await harness.AcceptInputAsync(request, Enumerable.Repeat((byte)7, 130).ToArray());

        Assert.Equal(250, await read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(7, buffer[249]);
    }

    [Fact]
    public async Task A_read_for_at_least_some_bytes_returns_fewer_at_the_end_of_the_input_then_zero()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(inputWindow: 1000);
        var buffer = new byte[500];

        var read = request.ReadInputAtLeastAsync(buffer, 200).AsTask();
        await harness.AcceptInputAsync(request, new byte[50]);
        Assert.False(read.IsCompleted);
        request.EndInput();

        Assert.Equal(50, await read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, await request.ReadInputAtLeastAsync(buffer, 200));
    }

    [Fact]
    public async Task A_read_for_more_than_a_quarter_of_the_window_wakes_at_a_quarter_since_the_client_may_send_no_more_unread()
    {
        // Waiting for more than the client can send before a grant would wait for ever: the client is owed credit only
        // for bytes read, and these would not be.
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(inputWindow: 1000);

        var read = request.ReadInputAtLeastAsync(new byte[1000], 900).AsTask();
        await harness.AcceptInputAsync(request, new byte[249]);
        Assert.False(read.IsCompleted);
        await harness.AcceptInputAsync(request, new byte[1]);

        Assert.Equal(250, await read.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task An_abort_wakes_a_read_waiting_for_at_least_some_bytes()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(inputWindow: 1000);

        var read = request.ReadInputAtLeastAsync(new byte[500], 200).AsTask();
        await harness.AcceptInputAsync(request, new byte[10]);
        request.Abort(AbortReason.Cancelled);

        // What had arrived is still handed out; the next read is refused.
        Assert.Equal(10, await read.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request.ReadInputAtLeastAsync(new byte[500], 200).AsTask());
    }
}
