using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Sockit.Server.Hosting.Connections;

/// <summary>
/// The tutorials' client-legitimacy check: on accept the server sends <see cref="NonceLength"/> random bytes, the client
/// answers <c>hmac.new(secret_key, msg, digest).digest()</c>, and the server compares in constant time.
/// </summary>
internal sealed class LegacyChallenge
{
    /// <summary>Bytes of challenge sent, as the tutorial's <c>os.urandom(32)</c>.</summary>
    public const int NonceLength = 32;

    private readonly byte[] _key;
    private readonly HashAlgorithmName _digest;

    /// <summary>A check with the key <paramref name="key"/> (its UTF-8 bytes) and the digest <c>md5</c> or <c>sha256</c>.</summary>
    public LegacyChallenge(string key, string digest)
    {
        _key = Encoding.UTF8.GetBytes(key);
        _digest = digest == "md5" ? HashAlgorithmName.MD5 : HashAlgorithmName.SHA256;
    }

    /// <summary>The check's name for the log: <c>HMAC-MD5</c> or <c>HMAC-SHA256</c>.</summary>
    public string Name => "HMAC-" + _digest.Name;

    /// <summary>Bytes of a client's answer: the digest's size.</summary>
    public int AnswerLength => _digest == HashAlgorithmName.MD5 ? 16 : 32;

    /// <summary>A fresh challenge, never used before.</summary>
    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceLength);

    /// <summary>The answer a client holding the key gives to <paramref name="nonce"/>.</summary>
    // HMAC-MD5 is what the tutorials' clients compute (Python's old hmac.new default). As a MAC it is still unbroken:
    // MD5's collisions do not let anyone answer a fresh challenge without the key.
    public byte[] AnswerTo(ReadOnlySpan<byte> nonce) => CryptographicOperations.HmacData(_digest, _key, nonce);

    /// <summary>Whether <paramref name="answer"/> is the right answer to <paramref name="nonce"/>, compared in constant time.</summary>
    public bool Verify(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> answer) =>
        CryptographicOperations.FixedTimeEquals(AnswerTo(nonce), answer);

    /// <summary>
    /// The tutorials' <c>conn_auth</c> from the server's side: a fresh challenge out, its HMAC back within
    /// <paramref name="headerTimeout"/>. Returns whether the client passed. A client that answered wrong, closed before
    /// its answer was complete or did not answer in time is reported to <paramref name="failed"/> with the reason; one
    /// that could not even be sent the challenge (gone, or reading nothing) is not. Whatever follows the answer stays
    /// in the input: a client may send its first message right behind it.
    /// </summary>
    /// <param name="connection">The connection, before anything else was read from it.</param>
    /// <param name="deadline">The conversation's timer, linked to shutdown; set here to the write and header deadlines.</param>
    /// <param name="writeTimeout">How long the client has to take the challenge.</param>
    /// <param name="headerTimeout">How long it has to answer.</param>
    /// <param name="logger">Where the write deadline is logged.</param>
    /// <param name="failed">Told why a client failed, for the listener's own log event.</param>
    /// <param name="stopping">Fires when the server stops (an exception here).</param>
    public async Task<bool> PassAsync(
        ConnectionContext connection,
        CancellationTokenSource deadline,
        TimeSpan writeTimeout,
        TimeSpan headerTimeout,
        ILogger logger,
        Action<string> failed,
        CancellationToken stopping)
    {
        var nonce = NewNonce();
        connection.Transport.Output.Write(nonce);
        if (!await RawConnection.FlushAsync(connection, deadline, writeTimeout, logger, stopping).ConfigureAwait(false))
        {
            return false;
        }

        // A client that holds the key answers at once, so the answer is due as a frame's header is.
        deadline.CancelAfter(headerTimeout);
        var input = connection.Transport.Input;
        try
        {
            var result = await input.ReadAtLeastAsync(AnswerLength, deadline.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length < AnswerLength)
            {
                input.AdvanceTo(buffer.End);
                failed(string.Create(CultureInfo.InvariantCulture, $"closed after {buffer.Length} of {AnswerLength} bytes"));
                return false;
            }

            var answer = buffer.Slice(0, AnswerLength);
            bool passed = Verify(nonce, answer.ToArray());
            input.AdvanceTo(answer.End);
            if (!passed)
            {
                failed("wrong answer");
            }

            return passed;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            failed(string.Create(CultureInfo.InvariantCulture, $"no answer within {headerTimeout.TotalSeconds:0.###} s"));
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ConnectionFailures.IsAbruptDisconnect(ex))
        {
            // As a close before the answer, and a tutorial client without conn_auth gets it: it closes with the nonce
            // unread, so its kernel resets the connection, and what it sent may be dropped before it was read.
            failed("the connection was reset before an answer was read");
            return false;
        }
    }
}
