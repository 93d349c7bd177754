using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Tests.Sessions;

public sealed class OutputGateTests
{
    [Fact]
    public async Task A_free_gate_is_taken_at_once_and_a_held_one_makes_the_next_writer_wait()
    {
        var gate = new OutputGate();

        var first = gate.EnterAsync();
        var second = gate.EnterAsync();

        Assert.True(first.IsCompletedSuccessfully);
        Assert.False(second.IsCompleted);
        gate.Exit();
        await second;
    }

    [Fact]
    public async Task Waiters_get_the_gate_in_the_order_they_asked()
    {
        var gate = new OutputGate();
        await gate.EnterAsync();
        var order = new List<int>();
        var waiters = Enumerable.Range(0, 5).Select(async number =>
        {
            await gate.EnterAsync();
            lock (order)
            {
                order.Add(number);
            }

            gate.Exit();
        }).ToArray();

        gate.Exit();
        await Task.WhenAll(waiters);

        Assert.Equal([0, 1, 2, 3, 4], order);
    }

    [Fact]
    public async Task A_writer_that_leaves_and_comes_back_queues_behind_those_already_waiting()
    {
        var gate = new OutputGate();
        await gate.EnterAsync();
        var small = gate.EnterAsync().AsTask();

        // The large stream's next frame: it gave the gate up and asks again at once.
        gate.Exit();
        var largeAgain = gate.EnterAsync().AsTask();

        await small;
        Assert.False(largeAgain.IsCompleted);
        gate.Exit();
        await largeAgain;
    }

    [Fact]
    public async Task Closing_fails_the_waiters_and_every_later_entry()
    {
        var gate = new OutputGate();
        await gate.EnterAsync();
        var waiting = gate.EnterAsync().AsTask();

        gate.Close();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        gate.Exit();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.EnterAsync().AsTask());
    }

    [Fact]
    public async Task Many_writers_at_once_never_hold_the_gate_together()
    {
        var gate = new OutputGate();
        int inside = 0;
        int overlaps = 0;
        var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 2000; i++)
            {
                await gate.EnterAsync();
                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                Interlocked.Decrement(ref inside);
                gate.Exit();
            }
        })).ToArray();

        await Task.WhenAll(writers);

        Assert.Equal(0, overlaps);
    }
}
