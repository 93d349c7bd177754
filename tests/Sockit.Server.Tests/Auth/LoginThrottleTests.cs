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
    public void The_limit_locks_out_until_the_lockout_has_passed()
    {
        var throttle = Create();
        for (int i = 0; i < 6; i++)
        {
            throttle.RecordFailure("10.0.0.1", "alice");
        }

        Assert.Equal(TimeSpan.FromMinutes(10), throttle.LockedFor("10.0.0.1", "alice"));
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(TimeSpan.FromMinutes(1), throttle.LockedFor("10.0.0.1", "bob"));
        Assert.Equal(TimeSpan.FromMinutes(1), throttle.LockedFor("10.0.0.2", "alice"));
        Assert.Equal(TimeSpan.Zero, throttle.LockedFor("10.0.0.2", "bob"));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.Zero, throttle.LockedFor("10.0.0.1", "alice"));
    }

    [Fact]
    public void Addresses_and_names_are_counted_separately()
    {
        var throttle = Create();

        // One address guessing many names is locked by address; one name guessed from many addresses by name.
        for (int i = 0; i < 6; i++)
        {
            throttle.RecordFailure("10.0.0.1", "user" + i);
            throttle.RecordFailure("10.0.1." + i, "carol");
        }

        Assert.NotEqual(TimeSpan.Zero, throttle.LockedFor("10.0.0.1", "someone"));
        Assert.NotEqual(TimeSpan.Zero, throttle.LockedFor("10.0.9.9", "carol"));
        Assert.Equal(TimeSpan.Zero, throttle.LockedFor("10.0.9.9", "user0"));
    }

    [Fact]
    public void A_success_clears_the_names_count_and_old_failures_are_forgotten()
    {
        var throttle = Create();
        for (int i = 0; i < 4; i++)
        {
            throttle.RecordFailure("10.0.0.1", "alice");
        }

        throttle.RecordSuccess("alice");
        Assert.Equal(TimeSpan.Zero, throttle.RecordFailure("10.0.0.2", "alice"));

        _time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(TimeSpan.Zero, throttle.RecordFailure("10.0.0.1", "dave"));
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

        // The flooding address itself stays locked out.
        Assert.NotEqual(TimeSpan.Zero, throttle.LockedFor("10.0.0.1", "fresh"));
    }
}
