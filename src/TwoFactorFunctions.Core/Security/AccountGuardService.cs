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

    /// <summary>The guard with one more challenge counted against the per-account rate, or why none may be issued now.</summary>
    public Result<AccountGuard> WithChallengeIssued(AccountGuard guard)
    {
        var now = time.GetUtcNow();
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

        return guard with { IssuedCount = count + 1, IssueWindowStart = windowOpen ? guard.IssueWindowStart : now };
    }

    /// <summary>
    /// The guard with one more wrong code or answer counted, locked when this one reached the limit, and the audit line
    /// of that lockout (once per lockout). Once locked the count stays at the limit: parallel wrong guesses cannot push it.
    /// </summary>
    public (AccountGuard Guard, AuditEvent? Lockout) WithFailure(AccountGuard guard)
    {
        var now = time.GetUtcNow();
        if (guard.IsLocked(now))
        {
            return (guard, null);
        }

        var windowOpen = guard.FailureWindowStart is { } start && now - start < options.FailureWindow;
        var count = (windowOpen ? guard.FailedCount : 0) + 1;
        var updated = guard with
        {
            FailedCount = count,
            FailureWindowStart = windowOpen ? guard.FailureWindowStart : now,
            LockedUntil = count >= options.MaxFailedAttemptsPerAccount ? now + options.LockoutDuration : null,
        };
        return (updated, updated.LockedUntil is { } until
            ? new AuditEvent(guard.TenantId, AuditEventType.AccountLockedOut, now, guard.UserId, null, $"Locked until {until:O} after {count} wrong codes or answers.")
            : null);
    }

    /// <summary>Call once the guard from <see cref="WithFailure"/> is saved: the lockout is counted where it was set, whichever factor set it.</summary>
    public void LockoutSaved(AuditEvent? lockout)
    {
        if (lockout is not null)
        {
            telemetry.Lockout();
        }
    }

    /// <summary>The guard after a correct answer: failures cleared. Saved conditionally, so a lockout set in between wins.</summary>
    public static AccountGuard Cleared(AccountGuard guard) =>
        guard.Version is null && guard.FailedCount == 0 ? guard : guard with { FailedCount = 0, FailureWindowStart = null, LockedUntil = null };

    /// <summary>Counts one wrong code. Returns the guard as saved; its lock is set when this guess reached the limit.</summary>
    public Task<Result<AccountGuard>> RecordFailureAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync<AccountGuard>(async () =>
        {
            var guard = await store.GetAsync(tenantId, userId, cancellationToken);
            var (updated, lockout) = WithFailure(guard);
            if (ReferenceEquals(updated, guard))
            {
                return guard; // already locked: nothing more to count
            }

            if (!await store.TrySaveAsync(updated, cancellationToken))
            {
                return Optimistic.LostRace;
            }

            LockoutSaved(lockout);
            if (lockout is not null)
            {
                await audit.RecordAsync(lockout, cancellationToken);
            }

            return updated;
        }, cancellationToken);

    /// <summary>
    /// Clears the failures after a correct code, conditional on the guard being exactly as it was when it was checked:
    /// a lockout set by a parallel wrong guess in between wins, and the success is refused.
    /// </summary>
    public Task<bool> TryClearFailuresAsync(AccountGuard checkedGuard, CancellationToken cancellationToken) =>
        // A brand-new guard has nothing to clear, but writing it still detects a parallel first failure (insert conflicts).
        store.TrySaveAsync(Cleared(checkedGuard), cancellationToken);

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
}
