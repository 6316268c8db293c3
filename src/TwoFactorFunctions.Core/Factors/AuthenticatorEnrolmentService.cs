using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Factors;

/// <summary>
/// Self-service enrolment of an authenticator app (TOTP): start (the secret, shown once) and confirm (the first valid
/// code, which also creates the first set of recovery codes).
/// </summary>
/// <remarks>
/// Starting spends a fresh proof made with a factor the user already holds (<see cref="FactorChangeRule"/>), so neither a
/// hijacked portal session nor a hijacked mailbox alone can add a factor. Confirming is one ETag-conditional write of the
/// user's factor row, replaces the user's security stamp (remembered devices are forgotten), and is audited and notified.
/// </remarks>
public sealed class AuthenticatorEnrolmentService(
    UserFactorRows rows,
    IUserFactorStore factors,
    FactorChangeProofs proofs,
    AccountGuardService guards,
    IAuditLog audit,
    FactorNotifier notifier,
    AccountNotices notices,
    TotpSecretProtector protector,
    TwoFactorOptions options,
    TimeProvider time)
{
    public async Task<Result<AuthenticatorEnrolment>> StartEnrolmentAsync(string tenantId, string userId, string? actorId, string? verifiedChallengeId,
        CancellationToken cancellationToken)
    {
        var ctx = await rows.LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var (tenant, user, current) = ctx.Value;
        if (rows.EnrolmentRefusal(tenant) is { } refused)
        {
            return refused;
        }

        if (current.HasAuthenticator)
        {
            return AuthenticatorRules.AlreadyEnrolled;
        }

        var proof = await proofs.SpendAsync(SensitiveOperation.AddAuthenticator, tenant, user, current, verifiedChallengeId, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error;
        }

        // Before the factor row exists: the hint may be set without a row, never a row exist without the hint.
        if (!user.HasFactors && (await rows.TouchUserAsync(tenantId, userId, hasFactors: true, newStamp: false, cancellationToken)).Error is { } hintFailed)
        {
            return hintFailed;
        }

        var secret = TotpCodes.NewSecret();
        var expiresAt = time.GetUtcNow() + options.TotpEnrolmentLifetime;
        var saved = await rows.UpdateAsync(tenantId, userId, f => f.HasAuthenticator
            ? AuthenticatorRules.AlreadyEnrolled
            : f with { PendingTotpSecret = protector.Seal(tenantId, userId, secret), PendingTotpExpiresAt = expiresAt }, cancellationToken);
        if (!saved.IsSuccess)
        {
            return saved.Error;
        }

        var account = string.IsNullOrEmpty(user.Email) ? user.UserId : user.Email;
        return new AuthenticatorEnrolment(TotpCodes.Base32(secret), TotpCodes.Uri(notices.ProductName, account, secret), expiresAt);
    }

    /// <summary>
    /// The first valid code from the app proves it holds the secret: the authenticator becomes active (that code's time
    /// step counts as used) and the first set of recovery codes is returned, once. Wrong codes count toward the lockout.
    /// </summary>
    public async Task<Result<RecoveryCodeSet>> ConfirmEnrolmentAsync(string tenantId, string userId, string? actorId, string? code,
        CancellationToken cancellationToken)
    {
        var ctx = await rows.LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        if (rows.EnrolmentRefusal(ctx.Value.Tenant) is { } refused)
        {
            return refused;
        }

        if (!TotpCodes.IsWellFormed(code))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_code_format", "The code must be exactly 6 digits.");
        }

        return await Optimistic.RetryAsync<RecoveryCodeSet>(async () =>
        {
            var now = time.GetUtcNow();
            var current = await factors.GetAsync(tenantId, userId, cancellationToken);
            if (current.PendingTotpSecret is not { } pending || current.PendingTotpExpiresAt is not { } expires || expires <= now)
            {
                return new DomainError(ErrorKind.Conflict, "no_pending_enrolment", "There is no authenticator enrolment to confirm; start one again.");
            }

            var guard = await guards.GetAsync(tenantId, userId, cancellationToken);
            if (guard.IsLocked(now))
            {
                return guards.Locked(guard);
            }

            var secret = protector.Open(tenantId, userId, pending);
            if (secret is not null && TotpCodes.MatchStep(secret, code!, now) is { } step)
            {
                if (!await guards.TryClearFailuresAsync(guard, cancellationToken))
                {
                    return Optimistic.LostRace;
                }

                var (set, hashes, setId) = rows.NewRecoverySet(tenantId, userId);
                var confirmed = current with
                {
                    TotpSecret = pending,
                    TotpConfirmedAt = now,
                    TotpLastStep = step,
                    PendingTotpSecret = null,
                    PendingTotpExpiresAt = null,
                    RecoveryCodeHashes = hashes,
                    RecoveryCodesUsed = [],
                    RecoverySetId = setId,
                    RecoveryGeneratedAt = now,
                };
                if (!await factors.TrySaveAsync(confirmed, cancellationToken))
                {
                    return Optimistic.LostRace;
                }

                var stamped = await rows.TouchUserAsync(tenantId, userId, hasFactors: null, newStamp: true, cancellationToken);
                await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.AuthenticatorEnrolled, now, userId, actorId,
                    $"Authenticator app enrolled; {RecoveryCodes.SetSize} recovery codes created; remembered devices forgotten."), cancellationToken);
                await notifier.NotifyAsync(stamped.User ?? ctx.Value.User, notices.FactorChanged(FactorNotice.AuthenticatorEnrolled, confirmed.RecoveryCodesLeft),
                    $"{userId}.totp.{step}", cancellationToken);
                return new RecoveryCodeSet(set, now);
            }

            var counted = await guards.RecordFailureAsync(tenantId, userId, cancellationToken);
            if (!counted.IsSuccess)
            {
                return counted.Error;
            }

            await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.VerifyFailed, now, userId, actorId, "Wrong authenticator code while enrolling."), cancellationToken);
            if (counted.Value.IsLocked(now))
            {
                return guards.Locked(counted.Value);
            }

            return new DomainError(ErrorKind.Invalid, "invalid_code", "The code is not correct.")
                .With("triesLeft", guards.RemainingAccountAttempts(counted.Value));
        }, cancellationToken);
    }
}
