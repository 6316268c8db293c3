using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Core.Storage;

/// <summary>
/// The one read-decide-write loop every counter, limit and consumption goes through. Each pass reads the row, decides
/// on what it read and writes conditionally on the row's ETag; a pass that lost the race answers
/// <see cref="LostRace"/> and the loop reads again, so parallel requests cannot beat a limit or spend a thing twice.
/// </summary>
public static class Optimistic
{
    /// <summary>
    /// One retry budget for every loop. A lost race means another request wrote the row in between, i.e. progress was
    /// made; the budget runs out only under a pile-up no caller should wait behind, which answers
    /// <see cref="Contended"/> (409, retry) instead of a timeout. Sized for the hottest row, an enrolment run's, which
    /// every batch worker of a large company reports to at once.
    /// </summary>
    public const int MaxAttempts = 200;

    /// <summary>"Another request wrote the row since it was read": the pass is run again on a fresh read.</summary>
    public static LostRace LostRace => default;

    public static DomainError Contended { get; } =
        new(ErrorKind.Conflict, "concurrent_update", "The record is being changed by many requests at once; retry.");

    /// <summary>Runs <paramref name="pass"/> until it answers something other than <see cref="LostRace"/>.</summary>
    public static async Task<Result<T>> RetryAsync<T>(Func<Task<Pass<T>>> pass, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            await BackOffAsync(attempt, cancellationToken);
            var outcome = await pass();
            if (!outcome.IsLostRace)
            {
                return outcome.Result;
            }
        }

        return Contended;
    }

    /// <summary>For a loop with no answer but success: <c>true</c> when a pass completed, <c>false</c> when contention ran out.</summary>
    public static async Task<bool> RetryAsync(Func<Task<bool>> tryPass, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            await BackOffAsync(attempt, cancellationToken);
            if (await tryPass())
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The pause after <paramref name="lostRaces"/> lost races: none after the first (the row just moved on; read it
    /// again), then a short random pause growing to 50 ms, so contenders for one row spread out instead of colliding
    /// again. Wall-clock on purpose: this paces I/O, and a test's frozen clock must not stall it.
    /// </summary>
    public static Task BackOffAsync(int lostRaces, CancellationToken cancellationToken) =>
        lostRaces <= 1
            ? cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask
            : Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, Math.Min(5 + ((lostRaces - 1) * 5), 50))), cancellationToken);
}

/// <summary>The marker <see cref="Optimistic.LostRace"/> returns; converts to any <see cref="Pass{T}"/>.</summary>
public readonly struct LostRace;

/// <summary>One pass of an <see cref="Optimistic"/> loop: its final answer, or "lost the race, read again".</summary>
public readonly struct Pass<T>
{
    private Pass(Result<T> result, bool lostRace)
    {
        Result = result;
        IsLostRace = lostRace;
    }

    internal Result<T> Result { get; }

    internal bool IsLostRace { get; }

    public static implicit operator Pass<T>(LostRace _) => new(default, true);

    public static implicit operator Pass<T>(T value) => new(value, false);

    public static implicit operator Pass<T>(DomainError error) => new(error, false);

    public static implicit operator Pass<T>(Result<T> result) => new(result, false);
}
