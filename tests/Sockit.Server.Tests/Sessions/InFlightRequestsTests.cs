using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;
using Sockit.Server.Sessions;

namespace Sockit.Server.Tests.Sessions;

/// <summary>The requests with an id a connection runs: limit, duplicates, lookup, and stopping them all.</summary>
public sealed class InFlightRequestsTests
{
    [Fact]
    public async Task Requests_are_admitted_up_to_the_limit_then_refused_with_too_many_requests()
    {
        await using var harness = new SessionHarness(inFlightLimit: 2);
        var requests = harness.Requests;
        requests.CheckRoom(1);
        requests.Add(1, harness.NewRequest());
        requests.CheckRoom(2);
        requests.Add(2, harness.NewRequest());

        var refused = Assert.Throws<SockitException>(() => requests.CheckRoom(3));

        Assert.Equal(SockitErrorCode.TooManyRequests, refused.Code);
        Assert.Equal(2, requests.Count);
    }

    [Fact]
    public async Task An_id_in_flight_is_refused_as_duplicate_id_until_its_request_is_removed()
    {
        await using var harness = new SessionHarness();
        var requests = harness.Requests;
        var first = harness.NewRequest();
        requests.Add(7, first);

        Assert.Equal(SockitErrorCode.DuplicateId, Assert.Throws<SockitException>(() => requests.CheckRoom(7)).Code);
        Assert.True(requests.TryGet(7, out var found));
        Assert.Same(first, found);

        requests.Remove(7, first);
        requests.CheckRoom(7);
        Assert.False(requests.TryGet(7, out _));
    }

    [Fact]
    public async Task A_late_removal_does_not_take_away_a_newer_request_with_the_same_id()
    {
        await using var harness = new SessionHarness();
        var requests = harness.Requests;
        var old = harness.NewRequest();
        var newer = harness.NewRequest();
        requests.Add(7, newer);

        requests.Remove(7, old);

        Assert.True(requests.TryGet(7, out var found));
        Assert.Same(newer, found);
    }

    [Fact]
    public async Task AbortAll_aborts_every_request_and_returns_the_tasks_of_those_running()
    {
        await using var harness = new SessionHarness();
        var requests = harness.Requests;
        var running = harness.NewRequest();
        var notYetRunning = harness.NewRequest();
        var task = new TaskCompletionSource().Task;
        requests.Add(1, running);
        requests.SetRunning(1, running, task);
        requests.Add(2, notYetRunning);

        var tasks = requests.AbortAll(AbortReason.ShuttingDown);

        Assert.Equal([task], tasks);
        Assert.Equal(AbortReason.ShuttingDown, running.AbortReason);
        Assert.Equal(AbortReason.ShuttingDown, notYetRunning.AbortReason);
        Assert.True(running.Aborted.IsCancellationRequested);
    }

    [Fact]
    public async Task EndAllInput_ends_every_requests_input_without_aborting_it()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync();
        harness.Requests.Add(1, request);
        var read = request.ReadInputAsync(new byte[10]).AsTask();

        Assert.Empty(harness.Requests.EndAllInput());

        Assert.Equal(0, await read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(AbortReason.None, request.AbortReason);
    }

    [Fact]
    public async Task A_request_running_on_frees_its_id_as_its_reply_goes_out_but_is_still_waited_for_until_it_ends()
    {
        await using var harness = new SessionHarness(inFlightLimit: 1);
        var requests = harness.Requests;
        var request = await harness.StartAsync();
        var running = new TaskCompletionSource();
        request.Detach();
        requests.Add(1, request);
        requests.SetRunning(1, request, running.Task);

        await request.ReplyAsync(new ControlFrame { Kind = "reply", Id = 1 }, SockitJsonContext.Default.ControlFrame);

        requests.CheckRoom(1);
        Assert.False(requests.TryGet(1, out _));
        Assert.Equal([running.Task], requests.AbortAll(AbortReason.Disconnected));
        Assert.Equal(AbortReason.None, request.AbortReason);
        running.SetResult();
        Assert.Empty(requests.EndAllInput());
    }

    [Fact]
    public async Task A_request_that_left_before_its_task_was_noted_is_still_waited_for()
    {
        await using var harness = new SessionHarness(inFlightLimit: 1);
        var requests = harness.Requests;
        var request = harness.NewRequest();
        var running = new TaskCompletionSource();

        requests.Add(1, request);
        requests.Remove(1, request);
        requests.SetRunning(1, request, running.Task);

        requests.CheckRoom(1);
        Assert.Equal([running.Task], requests.AbortAll(AbortReason.Disconnected));
    }

    [Fact]
    public void With_no_request_AbortAll_has_nothing_to_wait_for()
    {
        Assert.Empty(new Server.Sessions.Internal.InFlightRequests(4).AbortAll(AbortReason.Disconnected));
    }
}
