using System.Text;
using Sockit.Protocol.Auth;

namespace Sockit.Protocol.Tests.Auth;

public class HmacChallengeTests
{
    // Expected values computed on this machine with python3:
    //   hmac.new(bytes(range(32)), b'sockit-challenge-nonce-0123456789', hashlib.sha256).hexdigest()
    //   hmac.new(b'key', b'The quick brown fox jumps over the lazy dog', hashlib.sha256).hexdigest()
    [Theory]
    [InlineData("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "sockit-challenge-nonce-0123456789", "1879f823325527b1c8178ccb05664038942c6c21b0eaa5de4a306ed0779b71c5")]
    [InlineData("6b6579", "The quick brown fox jumps over the lazy dog", "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")]
    public void Known_answers(string keyHex, string nonce, string expectedHex)
    {
        var response = HmacChallenge.ComputeResponse(Convert.FromHexString(keyHex), Encoding.ASCII.GetBytes(nonce));

        Assert.Equal(expectedHex, Convert.ToHexStringLower(response));
    }

    [Fact]
    public void Verify_accepts_the_right_response()
    {
        var key = HmacChallenge.NewKey();
        var nonce = HmacChallenge.NewNonce();

        Assert.True(HmacChallenge.Verify(key, nonce, HmacChallenge.ComputeResponse(key, nonce)));
    }

    [Fact]
    public void Verify_refuses_a_flipped_bit_another_key_or_another_nonce()
    {
        var key = HmacChallenge.NewKey();
        var nonce = HmacChallenge.NewNonce();
        var response = HmacChallenge.ComputeResponse(key, nonce);
        var flipped = (byte[])response.Clone();
        flipped[^1] ^= 1;

        Assert.False(HmacChallenge.Verify(key, nonce, flipped));
        Assert.False(HmacChallenge.Verify(HmacChallenge.NewKey(), nonce, response));
        Assert.False(HmacChallenge.Verify(key, HmacChallenge.NewNonce(), response));
    }

    [Fact]
    public void Verify_refuses_responses_of_other_lengths()
    {
        var key = HmacChallenge.NewKey();
        var nonce = HmacChallenge.NewNonce();
        var response = HmacChallenge.ComputeResponse(key, nonce);

        Assert.False(HmacChallenge.Verify(key, nonce, response.AsSpan(0, 31)));
        Assert.False(HmacChallenge.Verify(key, nonce, [.. response, 0]));
        Assert.False(HmacChallenge.Verify(key, nonce, []));
    }

    [Fact]
    public void New_keys_and_nonces_are_32_random_bytes()
    {
        Assert.Equal(32, HmacChallenge.NewKey().Length);
        Assert.Equal(32, HmacChallenge.NewNonce().Length);
        Assert.NotEqual(HmacChallenge.NewNonce(), HmacChallenge.NewNonce());
        Assert.NotEqual(HmacChallenge.NewKey(), HmacChallenge.NewKey());
    }
}
