using System.Diagnostics;
using Sockit.Protocol.Auth;

namespace Sockit.Server.Auth;

/// <summary>
/// Auth's state for one connection (kept in its <see cref="Sessions.SockitSession.Features"/>): the HMAC challenge,
/// a SCRAM login between its two steps, and the login deadline.
/// </summary>
internal sealed class LoginState
{
    private readonly Lock _lock = new();
    private bool _nonceSpent;
    private string _nonce = NewNonce();
    private long _deadline;

    public LoginState(long deadline)
    {
        _deadline = deadline;
    }

    /// <summary>
    /// The current HMAC challenge (base64): first the one in the hello, then each one handed out by <c>auth</c>. Each is
    /// good for one login attempt.
    /// </summary>
    public string Nonce
    {
        get
        {
            lock (_lock)
            {
                return _nonce;
            }
        }
    }

    /// <summary>The SCRAM login in progress between its two steps, if any.</summary>
    public ScramServer? PendingScram { get; set; }

    /// <summary>When (a <see cref="Stopwatch"/> timestamp) an anonymous connection must have logged in by.</summary>
    public long Deadline
    {
        get => Volatile.Read(ref _deadline);
        set => Volatile.Write(ref _deadline, value);
    }

    /// <summary>Takes the current challenge for one attempt; <see langword="false"/> when it was already used.</summary>
    public bool TryTakeNonce(out byte[] nonce)
    {
        lock (_lock)
        {
            nonce = Convert.FromBase64String(_nonce);
            if (_nonceSpent)
            {
                return false;
            }

            _nonceSpent = true;
            return true;
        }
    }

    /// <summary>Replaces the challenge with a fresh one and returns it.</summary>
    public string NewChallenge()
    {
        lock (_lock)
        {
            _nonce = NewNonce();
            _nonceSpent = false;
            return _nonce;
        }
    }

    private static string NewNonce() => Convert.ToBase64String(HmacChallenge.NewNonce());
}
