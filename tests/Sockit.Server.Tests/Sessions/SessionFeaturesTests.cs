using Sockit.Server.Sessions;

namespace Sockit.Server.Tests.Sessions;

/// <summary>Per-connection state, one object per type.</summary>
public sealed class SessionFeaturesTests
{
    private sealed class First
    {
    }

    private sealed class Second
    {
    }

    [Fact]
    public void A_state_is_absent_until_set_and_each_type_has_its_own()
    {
        var features = new SessionFeatures();
        Assert.Null(features.Get<First>());

        var first = new First();
        features.Set(first);

        Assert.Same(first, features.Get<First>());
        Assert.Null(features.Get<Second>());
    }

    [Fact]
    public void Set_replaces_and_GetOrAdd_keeps_what_is_there()
    {
        var features = new SessionFeatures();
        features.Set(new First());
        var replacement = new First();
        features.Set(replacement);

        Assert.Same(replacement, features.Get<First>());
        Assert.Same(replacement, features.GetOrAdd(() => new First()));
    }

    [Fact]
    public void GetOrAdd_creates_the_state_once_even_when_requests_race_for_it()
    {
        var features = new SessionFeatures();
        int created = 0;
        var states = new First[8];
        using var start = new Barrier(states.Length);

        // Threads of their own: the pool may have fewer threads than the barrier needs.
        var threads = Enumerable.Range(0, states.Length).Select(i => new Thread(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            states[i] = features.GetOrAdd(() =>
            {
                Interlocked.Increment(ref created);
                return new First();
            });
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.Equal(1, created);
        Assert.All(states, state => Assert.Same(states[0], state));
    }

    [Fact]
    public void Null_is_refused()
    {
        var features = new SessionFeatures();

        Assert.Throws<ArgumentNullException>(() => features.Set<First>(null!));
        Assert.Throws<ArgumentNullException>(() => features.GetOrAdd<First>(null!));
    }
}
