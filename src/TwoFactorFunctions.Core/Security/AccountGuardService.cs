using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Storage;
using TwoFactorFunctions.Core.Telemetry;

namespace TwoFactorFunctions.Core.Security;

/// <summary>Account lockout and challenge rate limiting, in the spirit of Identity's lockout in UserManager.</summary>
/// <remarks>
/// Each update is read-decide-write with the row's ETag; a lost race re-reads and decides again, so N parallel
/// requests can never move a counter past its limit. Windows are fixed: they start at the first event and reset
/// once they have passed.
/// </remarks>
public sealed class AccountGuardService(IAccountGuardStore store, IAuditLog audit, TwoFactorOptions options, TwoFactorTelemetry telemetry, TimeProvider time)
{
    public Task<AccountGuard> GetAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        store.GetAsync(tenantId, userId, cancellationToken);

    public DomainError Locked(AccountGuard guard) =>
        new DomainError(ErrorKind.Locked, "account_locked",
                "Too many wrong codes or recovery answers for this account. Try again later or ask an administrator to unlock it.")
            { RetryAfter = guard.LockedUntil - time.GetUtcNow() is { } left && left < UntilUnlocked / 2 ? left : null };

    /// <summary>Counts a new challenge against the per-account rate; fails without counting when over it or locked.</summary>
    public async Task<DomainError?> TryRecordChallengeIssuedAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var recorded = await Optimistic.RetryAsync<AccountGuard>(async () =>
        {
            var now = time.GetUtcNow();
            var guard = await store.GetAsync(tenantId, userId, cancellationToken);
            if (guard.IsLocked(now))
            {
                return Locked(guard);
            }

            var windowOpen = guard.IssueWindowStart is { } start && now - start < options.ChallengeWindow;
            var count = windowOpen ? guard.IssuedCount : 0;
            if (count >= options.MaxChallengesPerWindow)
            {
                return new DomainError(ErrorKind.TooManyRequests, "challenge_rate_limited",
                        "Too many sign-in challenges for this account. Wait before asking for another.")
                    { RetryAfter = guard.IssueWindowStart!.Value + options.ChallengeWindow - now };
            }

            var updated = guard with { IssuedCount = count + 1, IssueWindowStart = windowOpen ? guard.IssueWindowStart : now };
            return await store.TrySaveAsync(updated, cancellationToken) ? updated : Optimistic.LostRace;
        }, cancellationToken);
        return recorded.Error;
    }

    /// <summary>Counts one wrong code. Returns the guard as saved; its lock is set when this guess reached the limit.</summary>
    /// <remarks>Once locked the count stays at the limit: parallel wrong guesses cannot push it further.</remarks>
    public Task<Result<AccountGuard>> RecordFailureAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync<AccountGuard>(async () =>
        {
            var now = time.GetUtcNow();
            var guard = await store.GetAsync(tenantId, userId, cancellationToken);
            if (guard.IsLocked(now))
            {
                return guard;
            }

            var windowOpen = guard.FailureWindowStart is { } start && now - start < options.FailureWindow;
            var count = (windowOpen ? guard.FailedCount : 0) + 1;
            var updated = guard with
            {
                FailedCount = count,
                FailureWindowStart = windowOpen ? guard.FailureWindowStart : now,
                LockedUntil = count >= options.MaxFailedAttemptsPerAccount ? now + options.LockoutDuration : null,
            };
            if (!await store.TrySaveAsync(updated, cancellationToken))
            {
                return Optimistic.LostRace;
            }

            // Recorded here, where the lock is set, whichever factor's wrong answer set it: once per lockout.
            if (updated.LockedUntil is { } until)
            {
                telemetry.Lockout();
                await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.AccountLockedOut, now, userId, null,
                    $"Locked until {until:O} after {count} wrong codes or answers."), cancellationToken);
            }

            return updated;
        }, cancellationToken);

    /// <summary>
    /// Clears the failures after a correct code, conditional on the guard being exactly as it was when it was checked:
    /// a lockout set by a parallel wrong guess in between wins, and the success is refused.
    /// </summary>
    public Task<bool> TryClearFailuresAsync(AccountGuard checkedGuard, CancellationToken cancellationToken) =>
        checkedGuard.Version is null && checkedGuard.FailedCount == 0
            ? InsertIfAbsent(checkedGuard, cancellationToken)
            : store.TrySaveAsync(checkedGuard with { FailedCount = 0, FailureWindowStart = null, LockedUntil = null }, cancellationToken);

    /// <summary>Clears the lock and the failures; <see cref="Optimistic.Contended"/> rather than a success that left the lock in place.</summary>
    public async Task<DomainError?> UnlockAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var unlocked = await Optimistic.RetryAsync(async () =>
        {
            var guard = await store.GetAsync(tenantId, userId, cancellationToken);
            return guard.Version is null
                || await store.TrySaveAsync(guard with { FailedCount = 0, FailureWindowStart = null, LockedUntil = null }, cancellationToken);
        }, cancellationToken);
        return unlocked ? null : Optimistic.Contended;
    }

    /// <summary>A lock no one waits out: only an admin's unlock ends it.</summary>
    private static readonly TimeSpan UntilUnlocked = TimeSpan.FromDays(3650);

    /// <summary>Locks the account until an admin unlocks it (a reported takeover: no lockout period may run out by itself).</summary>
    public async Task LockUntilUnlockedAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var locked = await Optimistic.RetryAsync(async () =>
        {
            var guard = await store.GetAsync(tenantId, userId, cancellationToken);
            return await store.TrySaveAsync(guard with { LockedUntil = time.GetUtcNow() + UntilUnlocked }, cancellationToken);
        }, cancellationToken);
        if (!locked)
        {
            throw new InvalidOperationException("The account guard is too contended to lock; the report will be retried by the caller.");
        }
    }

    public int RemainingAccountAttempts(AccountGuard guard)
    {
        var now = time.GetUtcNow();
        if (guard.IsLocked(now))
        {
            return 0;
        }

        var windowOpen = guard.FailureWindowStart is { } start && now - start < options.FailureWindow;
        return options.MaxFailedAttemptsPerAccount - (windowOpen ? guard.FailedCount : 0);
    }

    // A brand-new guard has nothing to clear, but writing it still detects a parallel first failure (insert conflicts).
    private Task<bool> InsertIfAbsent(AccountGuard guard, CancellationToken cancellationToken) =>
        store.TrySaveAsync(guard, cancellationToken);
}
