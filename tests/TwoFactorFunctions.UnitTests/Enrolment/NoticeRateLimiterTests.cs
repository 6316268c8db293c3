using Microsoft.Extensions.Time.Testing;
using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.UnitTests.Enrolment;

public class NoticeRateLimiterTests
{
    [Fact]
    public void TryAcquire_BurstThenRate_WaitsForTheNextToken()
    {
        var time = new FakeTimeProvider();
        var limiter = new NoticeRateLimiter(new NoticeOptions { MaxPerSecond = 10, Burst = 3 }, time);

        Assert.Equal(TimeSpan.Zero, limiter.TryAcquire());
        Assert.Equal(TimeSpan.Zero, limiter.TryAcquire());
        Assert.Equal(TimeSpan.Zero, limiter.TryAcquire());
        var wait = limiter.TryAcquire();
        Assert.InRange(wait.TotalMilliseconds, 99, 101);

        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.Zero, limiter.TryAcquire());
        Assert.NotEqual(TimeSpan.Zero, limiter.TryAcquire());
    }

    [Fact]
    public void PauseUntil_ProviderRetryAfter_HoldsEveryoneUntilThen()
    {
        var time = new FakeTimeProvider();
        var limiter = new NoticeRateLimiter(new NoticeOptions { MaxPerSecond = 100, Burst = 100 }, time);

        limiter.PauseUntil(time.GetUtcNow().AddSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(30), limiter.TryAcquire());
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.Zero, limiter.TryAcquire());
    }

    [Fact]
    public async Task AcquireAsync_WaitLongerThanMaxWait_ReturnsTheWaitInsteadOfSleeping()
    {
        var time = new FakeTimeProvider();
        var limiter = new NoticeRateLimiter(new NoticeOptions { MaxPerSecond = 1, Burst = 1, MaxWait = TimeSpan.FromMilliseconds(500) }, time);
        await limiter.AcquireAsync(default);

        var wait = await limiter.AcquireAsync(default);

        Assert.Equal(TimeSpan.FromSeconds(1), wait);
    }
}
