using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.IO.Pipelines;
using Sockit.Protocol.Errors;

namespace Sockit.Protocol.Framing;

public sealed partial class FrameReader
{
    private const long NoDeadline = long.MaxValue;
    private const long Expired = long.MinValue;

    // A Stopwatch timestamp, or one of the two sentinels; written by the reading task, claimed by the ticker.
    private long _deadline = NoDeadline;

    /// <summary>Called by <see cref="FrameDeadlines"/>: cancels the pending read once its deadline has passed.</summary>
    internal void CheckDeadline(long now)
    {
        long deadline = Volatile.Read(ref _deadline);
        if (deadline is NoDeadline or Expired || now < deadline)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _deadline, Expired, deadline) == deadline)
        {
            _input.CancelPendingRead();
        }
    }

    /// <summary>A read bounded by the shared ticker: storing the deadline is all it costs.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadWithDeadlineAsync(
        TimeSpan timeout, SockitErrorCode timeoutCode, CancellationToken cancellationToken)
    {
        long ticks = timeout >= TimeSpan.FromDays(1) ? long.MaxValue / 2 : (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        Volatile.Write(ref _deadline, Stopwatch.GetTimestamp() + ticks);
        ReadResult result;
        bool expired;
        try
        {
            result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            expired = Interlocked.Exchange(ref _deadline, NoDeadline) == Expired;
        }

        // When the ticker won a race with arriving data the timeout still stands: it was due, and the
        // reader is not used after a timeout.
        return expired ? throw TimedOut(timeoutCode, null) : result;
    }

    /// <summary>A read bounded by a timer of its own (no shared ticker configured).</summary>
    private async ValueTask<ReadResult> ReadWithTimeoutAsync(
        TimeSpan timeout, SockitErrorCode timeoutCode, CancellationToken cancellationToken)
    {
        _timeout.CancelAfter(timeout);
        var link = cancellationToken.UnsafeRegister(
            static state => ((CancellationTokenSource)state!).Cancel(), _timeout);
        try
        {
            return await _input.ReadAsync(_timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(timeoutCode, ex);
        }
        finally
        {
            // Unhooked before the source is reused, so a late cancellation cannot hit the next read's timer.
            link.Dispose();
            if (!_timeout.TryReset())
            {
                _timeout.Dispose();
                _timeout = new CancellationTokenSource();
            }
        }
    }

    private SockitTimeoutException TimedOut(SockitErrorCode code, Exception? inner)
    {
        string message = code == SockitErrorCode.HeaderTimeout
            ? $"the frame header was not complete within {_options.HeaderTimeout.TotalSeconds:0.###} s of its first byte"
            : $"no data arrived within {IdleTimeout.TotalSeconds:0.###} s";
        return new SockitTimeoutException(message, code, inner);
    }
}
