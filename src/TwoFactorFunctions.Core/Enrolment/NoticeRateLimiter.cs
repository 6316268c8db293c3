namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>
/// A token bucket for the email provider's quota, shared by every notice handler of the process, plus a pause that a
/// provider's 429 Retry-After sets for all of them at once.
/// </summary>
public sealed class NoticeRateLimiter(NoticeOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private double _tokens = options.Burst;
    private long _refilledAt = time.GetTimestamp();
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    /// <summary>Takes a token and returns zero, or returns how long until one is due (taking nothing).</summary>
    public TimeSpan TryAcquire()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_pausedUntil > now)
            {
                return _pausedUntil - now;
            }

            var stamp = time.GetTimestamp();
            _tokens = Math.Min(options.Burst, _tokens + (time.GetElapsedTime(_refilledAt, stamp).TotalSeconds * options.MaxPerSecond));
            _refilledAt = stamp;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return TimeSpan.Zero;
            }

            return TimeSpan.FromSeconds((1 - _tokens) / options.MaxPerSecond);
        }
    }

    /// <summary>The provider asked everyone to come back later.</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        lock (_lock)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }
    }

    /// <summary>
    /// Waits for a token for at most <see cref="NoticeOptions.MaxWait"/>. Returns zero when one was taken, otherwise the
    /// remaining wait, which the notice step hands back to the orchestration (a durable timer) instead of sleeping on it.
    /// </summary>
    public async Task<TimeSpan> AcquireAsync(CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        while (true)
        {
            var wait = TryAcquire();
            if (wait == TimeSpan.Zero)
            {
                return wait;
            }

            if (waited + wait > options.MaxWait)
            {
                return wait;
            }

            await Task.Delay(wait, time, cancellationToken);
            waited += wait;
        }
    }
}
