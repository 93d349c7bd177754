using Sockit.Server.Hosting.Connections;

namespace Sockit.Server.Tests.Hosting.Connections;

public sealed class ConnectionLimiterTests
{
    [Fact]
    public void One_address_cannot_take_every_slot()
    {
        var limiter = new ConnectionLimiter(limit: 10, perAddressLimit: 3);

        var attacker = Enumerable.Range(0, 5).Select(_ => limiter.TryAcquire("192.0.2.1")).ToList();

        Assert.Equal(3, attacker.Count(a => a == ConnectionAdmission.Admitted));
        Assert.Equal(2, attacker.Count(a => a == ConnectionAdmission.AddressFull));
        Assert.Equal(ConnectionAdmission.Admitted, limiter.TryAcquire("192.0.2.2"));
        Assert.Equal(4, limiter.Current);
    }

    [Fact]
    public void The_server_limit_applies_over_all_addresses_and_released_slots_are_reusable()
    {
        var limiter = new ConnectionLimiter(limit: 2, perAddressLimit: 2);
        Assert.Equal(ConnectionAdmission.Admitted, limiter.TryAcquire("a"));
        Assert.Equal(ConnectionAdmission.Admitted, limiter.TryAcquire("b"));

        Assert.Equal(ConnectionAdmission.ServerFull, limiter.TryAcquire("c"));

        limiter.Release("a");
        Assert.Equal(ConnectionAdmission.Admitted, limiter.TryAcquire("c"));
        Assert.Equal(2, limiter.Current);
    }

    [Fact]
    public void An_address_whose_connections_all_closed_gets_its_full_allowance_again()
    {
        var limiter = new ConnectionLimiter(limit: 100, perAddressLimit: 2);
        for (int round = 0; round < 3; round++)
        {
            Assert.Equal(ConnectionAdmission.Admitted, limiter.TryAcquire("a"));
            Assert.Equal(ConnectionAdmission.Admitted, limiter.TryAcquire("a"));
            Assert.Equal(ConnectionAdmission.AddressFull, limiter.TryAcquire("a"));
            limiter.Release("a");
            limiter.Release("a");
        }

        Assert.Equal(0, limiter.Current);
    }

    [Fact]
    public void Zero_means_no_per_address_limit()
    {
        var limiter = new ConnectionLimiter(limit: 50, perAddressLimit: 0);

        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(ConnectionAdmission.Admitted, limiter.TryAcquire("a")));
    }

    [Fact]
    public void Refusals_under_way_are_capped()
    {
        var limiter = new ConnectionLimiter(1);

        var begun = Enumerable.Range(0, ConnectionLimiter.MaxRefusalsInProgress + 5).Count(_ => limiter.TryBeginRefusal());
        limiter.EndRefusal();

        Assert.Equal(ConnectionLimiter.MaxRefusalsInProgress, begun);
        Assert.True(limiter.TryBeginRefusal());
        Assert.False(limiter.TryBeginRefusal());
    }
}
