using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Factors;

/// <summary>What a user (or an admin) sees of the user's authenticator and recovery codes; never a secret or code.</summary>
public sealed record FactorStatus(
    bool AuthenticatorEnrolled,
    DateTimeOffset? AuthenticatorEnrolledAt,
    bool EnrolmentPending,
    int RecoveryCodesLeft,
    DateTimeOffset? RecoveryCodesGeneratedAt,
    bool AuthenticatorAvailable,
    FactorPolicy Policy);

/// <summary>A started enrolment: the secret is shown here once (as text and in the URI the QR code carries).</summary>
public sealed record AuthenticatorEnrolment(string Secret, string OtpAuthUri, DateTimeOffset ExpiresAt);

/// <summary>A new set of recovery codes, shown once.</summary>
public sealed record RecoveryCodeSet(IReadOnlyList<string> Codes, DateTimeOffset GeneratedAt);

/// <summary>
/// Self-service enrolment of an authenticator app (TOTP) and the user's recovery codes.
/// </summary>
/// <remarks>
/// Starting an enrolment, removing the authenticator and regenerating recovery codes each spend a fresh proof made with
/// a factor the user already holds (<see cref="FactorChangeRule"/>: the app itself once one is enrolled), so neither a
/// hijacked portal session nor a hijacked mailbox alone can add or drop a factor. Every change is one ETag-conditional
/// write of the user's factor row, replaces the user's security stamp (remembered devices are forgotten), and is
/// audited and notified, to a replaced contact too.
/// </remarks>
public sealed class AuthenticatorService(
    Accounts.AccountLoader accounts,
    IUserStore users,
    IUserFactorStore factors,
    FactorChangeProofs proofs,
    AccountGuardService guards,
    IAuditLog audit,
    FactorNotifier notifier,
    AccountNotices notices,
    TotpSecretProtector protector,
    RecoveryCodes recoveryCodes,
    TwoFactorOptions options,
    TimeProvider time)
{
    public static readonly DomainError Unavailable = new(ErrorKind.Unavailable, "authenticator_unavailable",
        "Authenticator apps are not configured on this deployment (no TOTP encryption key).");

    public static readonly DomainError NotAllowed = new(ErrorKind.Conflict, "factor_not_allowed",
        "Your company's sign-in policy does not allow this factor.");

    public static readonly DomainError NoAuthenticator = new(ErrorKind.Conflict, "authenticator_not_enrolled",
        "The user has no authenticator app.");

    public async Task<Result<FactorStatus>> GetAsync(string tenantId, string userId, string? actorId, CancellationToken cancellationToken)
    {
        var ctx = await LoadAsync(tenantId, userId, actorId, selfOnly: false, cancellationToken);
        return ctx.IsSuccess ? Status(ctx.Value.Tenant, ctx.Value.Factors) : ctx.Error;
    }

    public async Task<Result<AuthenticatorEnrolment>> StartEnrolmentAsync(string tenantId, string userId, string? actorId, string? verifiedChallengeId,
        CancellationToken cancellationToken)
    {
        var ctx = await LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var (tenant, user, current) = ctx.Value;
        if (Refusal(tenant) is { } refused)
        {
            return refused;
        }

        if (current.HasAuthenticator)
        {
            return new DomainError(ErrorKind.Conflict, "authenticator_already_enrolled", "Remove the current authenticator app before enrolling another.");
        }

        var proof = await proofs.SpendAsync(SensitiveOperation.AddAuthenticator, tenant, user, current, verifiedChallengeId, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error;
        }

        // Before the factor row exists: the hint may be set without a row, never a row exist without the hint.
        if (!user.HasFactors && (await TouchUserAsync(tenantId, userId, hasFactors: true, newStamp: false, cancellationToken)).Error is { } hintFailed)
        {
            return hintFailed;
        }

        var secret = TotpCodes.NewSecret();
        var expiresAt = time.GetUtcNow() + options.TotpEnrolmentLifetime;
        var saved = await UpdateAsync(tenantId, userId, f => f.HasAuthenticator
            ? new DomainError(ErrorKind.Conflict, "authenticator_already_enrolled", "Remove the current authenticator app before enrolling another.")
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
        var ctx = await LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        if (Refusal(ctx.Value.Tenant) is { } refused)
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

                var (set, hashes, setId) = NewRecoverySet(tenantId, userId);
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

                var stamped = await TouchUserAsync(tenantId, userId, hasFactors: null, newStamp: true, cancellationToken);
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

    /// <summary>Removes the authenticator and, with it, the recovery codes (they are its fallback).</summary>
    public async Task<Result<FactorStatus>> RemoveAsync(string tenantId, string userId, string? actorId, string? verifiedChallengeId,
        CancellationToken cancellationToken)
    {
        var ctx = await LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var (tenant, user, current) = ctx.Value;
        if (!current.HasAuthenticator && current.PendingTotpSecret is null)
        {
            return NoAuthenticator;
        }

        if (user.Role == UserRole.Admin && tenant.FactorPolicy.AuthenticatorRequiredForAdmins && current.HasAuthenticator)
        {
            return new DomainError(ErrorKind.Conflict, "authenticator_required_for_admins",
                "Your company requires administrators to sign in with an authenticator app; it cannot be removed.");
        }

        var proof = await proofs.SpendAsync(SensitiveOperation.RemoveAuthenticator, tenant, user, current, verifiedChallengeId, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error;
        }

        await factors.DeleteAsync(tenantId, userId, cancellationToken);
        var stamped = await TouchUserAsync(tenantId, userId, hasFactors: false, newStamp: true, cancellationToken);
        var now = time.GetUtcNow();
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.AuthenticatorRemoved, now, userId, actorId,
            "Authenticator app and recovery codes removed by the user; remembered devices forgotten."), cancellationToken);
        await notifier.NotifyAsync(stamped.User ?? user, notices.FactorChanged(FactorNotice.AuthenticatorRemoved, 0), $"{proof.Value.ChallengeId}.totp-removed", cancellationToken);
        return Status(tenant, new UserFactors { TenantId = tenantId, UserId = userId });
    }

    /// <summary>A new set of recovery codes; the old set stops working in the same write.</summary>
    public async Task<Result<RecoveryCodeSet>> RegenerateRecoveryCodesAsync(string tenantId, string userId, string? actorId, string? verifiedChallengeId,
        CancellationToken cancellationToken)
    {
        var ctx = await LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var (tenant, user, current) = ctx.Value;
        if (!tenant.FactorPolicy.Allows(Factor.RecoveryCode))
        {
            return NotAllowed;
        }

        if (!current.HasAuthenticator)
        {
            return NoAuthenticator;
        }

        var proof = await proofs.SpendAsync(SensitiveOperation.RegenerateRecoveryCodes, tenant, user, current, verifiedChallengeId, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error;
        }

        var (set, hashes, setId) = NewRecoverySet(tenantId, userId);
        var now = time.GetUtcNow();
        var saved = await UpdateAsync(tenantId, userId, f => f.HasAuthenticator
            ? f with { RecoveryCodeHashes = hashes, RecoveryCodesUsed = [], RecoverySetId = setId, RecoveryGeneratedAt = now }
            : NoAuthenticator, cancellationToken);
        if (!saved.IsSuccess)
        {
            return saved.Error;
        }

        var stamped = await TouchUserAsync(tenantId, userId, hasFactors: null, newStamp: true, cancellationToken);
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.RecoveryCodesRegenerated, now, userId, actorId,
            $"{RecoveryCodes.SetSize} new recovery codes; the previous set is void; remembered devices forgotten."), cancellationToken);
        await notifier.NotifyAsync(stamped.User ?? user, notices.FactorChanged(FactorNotice.RecoveryCodesRegenerated, RecoveryCodes.SetSize),
            $"{proof.Value.ChallengeId}.recovery-codes", cancellationToken);
        return new RecoveryCodeSet(set, now);
    }

    /// <summary>
    /// Admin reset (the caller has checked the admin's proof): the authenticator and recovery codes go. Returns whether
    /// there were any; the caller writes the user row (hint, stamp) and notifies once for the whole reset.
    /// </summary>
    public async Task<bool> RemoveAllAsync(string tenantId, string userId, string adminId, CancellationToken cancellationToken)
    {
        var current = await factors.GetAsync(tenantId, userId, cancellationToken);
        if (current.Version is null)
        {
            return false;
        }

        await factors.DeleteAsync(tenantId, userId, cancellationToken);
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.AuthenticatorRemoved, time.GetUtcNow(), userId, adminId,
            "Authenticator app and recovery codes removed by an administrator's reset."), cancellationToken);
        return true;
    }

    /// <summary>
    /// The user-row side of a factor change: the factor hint (set before a factor row is first written, cleared after it
    /// is deleted) and a new security stamp, which voids every remembered device of the user.
    /// </summary>
    private async Task<(DirectoryUser? User, DomainError? Error)> TouchUserAsync(string tenantId, string userId, bool? hasFactors, bool newStamp,
        CancellationToken cancellationToken)
    {
        var saved = await users.UpdateAsync(tenantId, userId, u => (hasFactors is null || u.HasFactors == hasFactors) && !newStamp
            ? u
            : u with { HasFactors = hasFactors ?? u.HasFactors, SecurityStamp = newStamp ? Ids.NewId() : u.SecurityStamp }, cancellationToken);
        return saved.IsSuccess ? (saved.Value, null) : (null, saved.Error);
    }

    private FactorStatus Status(Tenant tenant, UserFactors f) => new(
        f.HasAuthenticator,
        f.TotpConfirmedAt,
        !f.HasAuthenticator && f.PendingTotpExpiresAt is { } expires && expires > time.GetUtcNow(),
        f.RecoveryCodesLeft,
        f.RecoveryGeneratedAt,
        protector.Available,
        tenant.FactorPolicy);

    private DomainError? Refusal(Tenant tenant) =>
        !protector.Available ? Unavailable : !tenant.FactorPolicy.Allows(Factor.Authenticator) ? NotAllowed : null;

    private (IReadOnlyList<string> Codes, IReadOnlyList<byte[]?> Hashes, string SetId) NewRecoverySet(string tenantId, string userId)
    {
        var setId = Ids.NewId();
        var codes = Enumerable.Range(0, RecoveryCodes.SetSize).Select(_ => RecoveryCodes.NewCode()).ToArray();
        var hashes = codes.Select(c => (byte[]?)recoveryCodes.Hash(tenantId, userId, setId, RecoveryCodes.Normalise(c)!)).ToArray();
        return (codes, hashes, setId);
    }

    private async Task<Result<UserFactors>> UpdateAsync(string tenantId, string userId, Func<UserFactors, Result<UserFactors>> change, CancellationToken cancellationToken)
    {
        return await Optimistic.RetryAsync<UserFactors>(async () =>
        {
            var current = await factors.GetAsync(tenantId, userId, cancellationToken);
            var updated = change(current);
            if (!updated.IsSuccess)
            {
                return updated;
            }

            if (await factors.TrySaveAsync(updated.Value, cancellationToken))
            {
                return updated;
            }

            return Optimistic.LostRace;
        }, cancellationToken);
    }

    /// <summary>The account preamble, then the user's factor row (read only when the user row's hint says there is one).</summary>
    private async Task<Result<(Tenant Tenant, DirectoryUser User, UserFactors Factors)>> LoadAsync(string tenantId, string userId, string? actorId,
        bool selfOnly, CancellationToken cancellationToken)
    {
        var account = await accounts.LoadAsync(tenantId, userId, actorId, selfOnly, cancellationToken);
        if (!account.IsSuccess)
        {
            return account.Error;
        }

        var (tenant, user) = account.Value;
        return (tenant, user, await factors.OfAsync(user, cancellationToken));
    }
}
