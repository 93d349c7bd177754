using System.Net;
using Sockit.Server.Hosting.Connections;

namespace Sockit.Server.Tests.Hosting.Connections;

public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("::1", "::1")]
    [InlineData("2001:db8:1:2:a:b:c:d", "2001:db8:1:2::")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::")]
    public void An_address_is_counted_by_itself_or_by_its_ipv6_network(string address, string group)
    {
        Assert.Equal(IPAddress.Parse(group), ClientAddress.GroupOf(IPAddress.Parse(address)));
    }

    [Fact]
    public void Fresh_ipv6_addresses_from_one_network_cannot_each_take_a_slot()
    {
        var limiter = new ConnectionLimiter(limit: 100, perAddressLimit: 2);

        var admissions = Enumerable.Range(1, 5)
            .Select(i => limiter.TryAcquire(ClientAddress.GroupOf(IPAddress.Parse($"2001:db8:1:2::{i:x}")).ToString()))
            .ToList();

        Assert.Equal(2, admissions.Count(a => a == ConnectionAdmission.Admitted));
        Assert.Equal(ConnectionAdmission.Admitted, limiter.TryAcquire(ClientAddress.GroupOf(IPAddress.Parse("2001:db8:1:3::1")).ToString()));
    }
}
