using Sockit.Server.Auth;

namespace Sockit.Server.Tests.Auth;

public sealed class LoginThrottleTests
{
    private readonly ManualTimeProvider _time = new();

    private LoginThrottle Create() => new(
        new AuthOptions
        {
            FreeFailures = 2,
            FailureDelay = TimeSpan.FromSeconds(1),
            MaxFailureDelay = TimeSpan.FromSeconds(4),
            LockoutFailures = 6,
            AddressLockoutFailures = 9,
            LockoutDuration = TimeSpan.FromMinutes(10),
            FailureWindow = TimeSpan.FromMinutes(15),
        },
        _time);

    [Fact]
    public void Delays_start_after_the_free_failures_double_and_stop_at_the_cap()
    {
        var throttle = Create();

        var delays = Enumerable.Range(0, 5).Select(_ => throttle.RecordFailure("10.0.0.1", "alice").TotalSeconds).ToList();

        Assert.Equal([0, 0, 1, 2, 4], delays);
    }

    [Fact]
    public void The_limit_locks_the_address_out_for_that_name_until_the_lockout_has_passed()
    {
        var throttle = Create();
        for (int i = 0; i < 6; i++)
        {
            throttle.RecordFailure("10.0.0.1", "alice");
        }

        Assert.Equal(TimeSpan.FromMinutes(10), throttle.LockedFor("10.0.0.1", "alice"));
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(TimeSpan.FromMinutes(1), throttle.LockedFor("10.0.0.1", "alice"));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.Zero, throttle.LockedFor("10.0.0.1", "alice"));
    }

    [Fact]
    public void Failures_from_one_address_never_lock_the_name_out_for_other_addresses()
    {
        var throttle = Create();
        for (int i = 0; i < 50; i++)
        {
            throttle.RecordFailure("10.0.0.1", "alice");
        }

        Assert.NotEqual(TimeSpan.Zero, throttle.LockedFor("10.0.0.1", "alice"));
        Assert.Equal(TimeSpan.Zero, throttle.LockedFor("10.0.0.2", "alice"));
    }

    [Fact]
    public void A_name_guessed_from_many_addresses_is_slowed_but_never_locked()
    {
        var throttle = Create();
        var delays = Enumerable.Range(0, 20).Select(i => throttle.RecordFailure("10.0.1." + i, "carol").TotalSeconds).ToList();

        // Each address failed once, so only the name's count delays: two free, then 1, 2 and 4 s at most.
        Assert.Equal([0, 0, 1, 2, 4], delays.Take(5));
        Assert.All(delays.Skip(4), delay => Assert.Equal(4, delay));
        Assert.Equal(TimeSpan.Zero, throttle.LockedFor("10.0.9.9", "carol"));
        Assert.Equal(TimeSpan.Zero, throttle.LockedFor("10.0.1.0", "carol"));
    }

    [Fact]
    public void One_address_guessing_many_names_is_locked_out_for_every_name()
    {
        var throttle = Create();
        var delays = Enumerable.Range(0, 8).Select(i => throttle.RecordFailure("10.0.0.1", "user" + i).TotalSeconds).ToList();

        // Each name failed once: the delays are the address's.
        Assert.Equal([0, 0, 1, 2, 4, 4, 4, 4], delays);
        Assert.Equal(TimeSpan.Zero, throttle.LockedFor("10.0.0.1", "someone"));
        throttle.RecordFailure("10.0.0.1", "user8");

        Assert.Equal(TimeSpan.FromMinutes(10), throttle.LockedFor("10.0.0.1", "someone"));
        Assert.Equal(TimeSpan.Zero, throttle.LockedFor("10.0.0.2", "user0"));
    }

    [Fact]
    public void A_success_clears_only_that_addresses_count_for_the_name_and_old_failures_are_forgotten()
    {
        var throttle = Create();
        for (int i = 0; i < 5; i++)
        {
            throttle.RecordFailure("10.0.0.1", "alice");
        }

        throttle.RecordSuccess("10.0.0.1", "alice");

        // The pair starts again, so one more failure does not lock it; the address's count goes on (a login to one's
        // own account must not wipe a record of guessing others).
        Assert.Equal(TimeSpan.FromSeconds(4), throttle.RecordFailure("10.0.0.1", "alice"));
        Assert.Equal(TimeSpan.Zero, throttle.LockedFor("10.0.0.1", "alice"));

        _time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(TimeSpan.Zero, throttle.RecordFailure("10.0.0.1", "alice"));
    }

    [Fact]
    public void A_flood_of_names_cannot_grow_memory_without_bound()
    {
        var throttle = Create();

        for (int i = 0; i < LoginThrottle.MaxEntries + 10; i++)
        {
            throttle.RecordFailure("10.0.0.1", "name" + i);
        }

        Assert.True(throttle.Count <= LoginThrottle.MaxEntries);

        // The flooding address itself stays locked out, for every name.
        Assert.NotEqual(TimeSpan.Zero, throttle.LockedFor("10.0.0.1", "fresh"));
    }
}
