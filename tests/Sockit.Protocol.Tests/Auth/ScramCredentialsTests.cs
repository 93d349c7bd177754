using Sockit.Protocol.Auth;

namespace Sockit.Protocol.Tests.Auth;

public class ScramCredentialsTests
{
    [Fact]
    public void Known_answer_for_pencil()
    {
        // Computed with python3: hashlib.pbkdf2_hmac('sha256', b'pencil', salt, 4096), then hmac/sha256.
        var credentials = ScramCredentials.Create("pencil", 4096, Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="));

        Assert.Equal("W22ZaJ0SNY7soEsUEjb6gQ==", Convert.ToBase64String(credentials.Salt));
        Assert.Equal(4096, credentials.Iterations);
        Assert.Equal("WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=", Convert.ToBase64String(credentials.StoredKey));
        Assert.Equal("wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=", Convert.ToBase64String(credentials.ServerKey));
    }

    [Fact]
    public void Default_salt_is_16_random_bytes()
    {
        var first = ScramCredentials.Create("pencil");
        var second = ScramCredentials.Create("pencil");

        Assert.Equal(16, first.Salt.Length);
        Assert.Equal(4096, first.Iterations);
        Assert.NotEqual(first.Salt, second.Salt);
        Assert.NotEqual(first.StoredKey, second.StoredKey);
    }

    [Fact]
    public void More_iterations_give_other_keys()
    {
        var salt = new byte[16];

        Assert.NotEqual(
            ScramCredentials.Create("pencil", 4096, salt).StoredKey,
            ScramCredentials.Create("pencil", 4097, salt).StoredKey);
    }

    [Fact]
    public void Refuses_fewer_than_4096_iterations_and_bad_input()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScramCredentials.Create("pencil", 4095));
        Assert.Throws<ArgumentException>(() => ScramCredentials.Create("pencil", 4096, []));
        Assert.Throws<ArgumentException>(() => ScramCredentials.Create(""));
        Assert.Throws<ArgumentException>(() => ScramCredentials.Create("\u00AD"));
        Assert.Throws<ArgumentException>(() => ScramCredentials.Create("bell\u0007"));
    }
}
