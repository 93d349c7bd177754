using Sockit.Server.Hosting.Connections;

namespace Sockit.Server.Tests.Hosting.Connections;

public sealed class LegacyChallengeTests
{
    private const string Key = "linhaifeng bang bang bang";

    // python3 -c "import hmac; print(hmac.new(b'linhaifeng bang bang bang', bytes(range(32)), DIGEST).hexdigest())"
    [Theory]
    [InlineData("md5", 16, "HMAC-MD5", "073377114443732921e7133c6b32ec30")]
    [InlineData("sha256", 32, "HMAC-SHA256", "8c04eb8b274b2f350a7fbcb157bb580c78d6bb02259f0720d583f87152804b23")]
    public void The_answer_is_what_pythons_hmac_new_digest_gives(string digest, int length, string name, string python)
    {
        var challenge = new LegacyChallenge(Key, digest);
        var nonce = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        var answer = challenge.AnswerTo(nonce);

        Assert.Equal(python, Convert.ToHexStringLower(answer));
        Assert.Equal(length, challenge.AnswerLength);
        Assert.Equal(name, challenge.Name);
        Assert.True(challenge.Verify(nonce, answer));
    }

    [Fact]
    public void Wrong_key_wrong_challenge_or_wrong_length_fail()
    {
        var challenge = new LegacyChallenge(Key, "md5");
        var nonce = LegacyChallenge.NewNonce();
        var right = challenge.AnswerTo(nonce);

        Assert.False(challenge.Verify(nonce, new LegacyChallenge("other key", "md5").AnswerTo(nonce)));
        Assert.False(challenge.Verify(LegacyChallenge.NewNonce(), right));
        Assert.False(challenge.Verify(nonce, right.AsSpan(0, 15)));
        Assert.NotEqual(nonce, LegacyChallenge.NewNonce());
        Assert.Equal(32, nonce.Length);
    }
}
