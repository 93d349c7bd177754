using System.Text;
using Sockit.Protocol.Auth;

namespace Sockit.Protocol.Tests.Auth;

public sealed class ScramDecoyTests
{
    private static readonly byte[] Secret = Encoding.ASCII.GetBytes("a server secret of 16+ bytes");

    private static readonly string[] Names = [.. Enumerable.Range(0, 4000).Select(i => "name" + i)];

    [Fact]
    public void Without_accounts_unknown_users_get_the_default_count()
    {
        var decoy = new ScramDecoy(Secret, []);

        Assert.All(Names.Take(50), name => Assert.Equal(ScramCredentials.DefaultIterations, decoy.Iterations(name)));
    }

    [Fact]
    public void When_every_account_has_one_count_unknown_users_have_it_too()
    {
        var decoy = new ScramDecoy(Secret, [10000, 10000]);

        Assert.All(Names.Take(50), name => Assert.Equal(10000, decoy.Iterations(name)));
    }

    [Fact]
    public void Counts_come_in_the_accounts_proportions()
    {
        // One account in four has 10000 iterations.
        var decoy = new ScramDecoy(Secret, [4096, 4096, 4096, 10000]);

        var high = Names.Count(name => decoy.Iterations(name) == 10000);

        Assert.All(Names, name => Assert.True(decoy.Iterations(name) is 4096 or 10000));

        // Expected 1000 of 4000; the binomial's standard deviation is about 27.
        Assert.InRange(high, 850, 1150);
    }

    [Fact]
    public void A_name_keeps_its_count_and_salt_and_the_secret_decides_them()
    {
        var decoy = new ScramDecoy(Secret, [4096, 10000]);
        var same = new ScramDecoy(Secret, [10000, 4096]);
        var other = new ScramDecoy(Encoding.ASCII.GetBytes("another secret, also 16+ bytes"), [4096, 10000]);

        Assert.All(Names.Take(200), name => Assert.Equal(decoy.Iterations(name), same.Iterations(name)));
        Assert.Equal(decoy.Salt("nobody"), same.Salt("nobody"));
        Assert.Equal(ScramCredentials.DefaultSaltSize, decoy.Salt("nobody").Length);
        Assert.NotEqual(decoy.Salt("nobody"), other.Salt("nobody"));
        Assert.Contains(Names.Take(200), name => decoy.Iterations(name) != other.Iterations(name));
    }

    [Fact]
    public void A_new_account_moves_unknown_names_only_onto_its_own_count()
    {
        var before = new ScramDecoy(Secret, [4096, 10000]);
        var after = new ScramDecoy(Secret, [4096, 10000, 20000]);

        var moved = Names.Where(name => before.Iterations(name) != after.Iterations(name)).ToList();

        Assert.All(moved, name => Assert.Equal(20000, after.Iterations(name)));
        Assert.InRange(moved.Count, 1000, 1700);
    }
}
