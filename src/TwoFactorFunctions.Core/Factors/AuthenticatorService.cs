using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Factors;

/// <summary>
/// A user's authenticator app (TOTP) and recovery codes once enrolled: their status, removal and regeneration of the
/// codes. Enrolment is <see cref="AuthenticatorEnrolmentService"/>'s.
/// </summary>
/// <remarks>
/// Removing the authenticator and regenerating recovery codes each spend a fresh proof made with a factor the user
/// already holds (<see cref="FactorChangeRule"/>: the app itself once one is enrolled), so neither a hijacked portal
/// session nor a hijacked mailbox alone can drop a factor. Every change is one ETag-conditional write of the user's
/// factor row, replaces the user's security stamp (remembered devices are forgotten), and is audited and notified, to a
/// replaced contact too.
/// </remarks>
public sealed class AuthenticatorService(
    UserFactorRows rows,
    IUserFactorStore factors,
    FactorChangeProofs proofs,
    IAuditLog audit,
    FactorNotifier notifier,
    AccountNotices notices,
    TimeProvider time)
{
    public async Task<Result<FactorStatus>> GetAsync(string tenantId, string userId, string? actorId, CancellationToken cancellationToken)
    {
        var ctx = await rows.LoadAsync(tenantId, userId, actorId, selfOnly: false, cancellationToken);
        return ctx.IsSuccess ? rows.Status(ctx.Value.Tenant, ctx.Value.Factors) : ctx.Error;
    }

    /// <summary>Removes the authenticator and, with it, the recovery codes (they are its fallback).</summary>
    public async Task<Result<FactorStatus>> RemoveAsync(string tenantId, string userId, string? actorId, string? verifiedChallengeId,
        CancellationToken cancellationToken)
    {
        var ctx = await rows.LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var (tenant, user, current) = ctx.Value;
        if (AuthenticatorRules.RemovalRefusal(tenant, user, current) is { } refused)
        {
            return refused;
        }

        var proof = await proofs.SpendAsync(SensitiveOperation.RemoveAuthenticator, tenant, user, current, verifiedChallengeId, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error;
        }

        // The user's passkeys stay: they are factors of their own, not the app's fallback.
        var left = await rows.UpdateAsync(tenantId, userId, AuthenticatorRules.WithoutApp, cancellationToken);
        if (!left.IsSuccess)
        {
            return left.Error;
        }

        if (left.Value.IsEmpty)
        {
            await factors.DeleteAsync(tenantId, userId, cancellationToken);
        }

        var stamped = await rows.TouchUserAsync(tenantId, userId, hasFactors: !left.Value.IsEmpty, newStamp: true, cancellationToken);
        var now = time.GetUtcNow();
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.AuthenticatorRemoved, now, userId, actorId,
            "Authenticator app and recovery codes removed by the user; remembered devices forgotten."), cancellationToken);
        await notifier.NotifyAsync(stamped.User ?? user, notices.FactorChanged(FactorNotice.AuthenticatorRemoved, 0), $"{proof.Value.ChallengeId}.totp-removed", cancellationToken);
        return rows.Status(tenant, left.Value);
    }

    /// <summary>A new set of recovery codes; the old set stops working in the same write.</summary>
    public async Task<Result<RecoveryCodeSet>> RegenerateRecoveryCodesAsync(string tenantId, string userId, string? actorId, string? verifiedChallengeId,
        CancellationToken cancellationToken)
    {
        var ctx = await rows.LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var (tenant, user, current) = ctx.Value;
        if (AuthenticatorRules.RegenerationRefusal(tenant, current) is { } refused)
        {
            return refused;
        }

        var proof = await proofs.SpendAsync(SensitiveOperation.RegenerateRecoveryCodes, tenant, user, current, verifiedChallengeId, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error;
        }

        var (set, hashes, setId) = rows.NewRecoverySet(tenantId, userId);
        var now = time.GetUtcNow();
        var saved = await rows.UpdateAsync(tenantId, userId, f => f.HasAuthenticator
            ? f with { RecoveryCodeHashes = hashes, RecoveryCodesUsed = [], RecoverySetId = setId, RecoveryGeneratedAt = now }
            : AuthenticatorRules.NoAuthenticator, cancellationToken);
        if (!saved.IsSuccess)
        {
            return saved.Error;
        }

        var stamped = await rows.TouchUserAsync(tenantId, userId, hasFactors: null, newStamp: true, cancellationToken);
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.RecoveryCodesRegenerated, now, userId, actorId,
            $"{RecoveryCodes.SetSize} new recovery codes; the previous set is void; remembered devices forgotten."), cancellationToken);
        await notifier.NotifyAsync(stamped.User ?? user, notices.FactorChanged(FactorNotice.RecoveryCodesRegenerated, RecoveryCodes.SetSize),
            $"{proof.Value.ChallengeId}.recovery-codes", cancellationToken);
        return new RecoveryCodeSet(set, now);
    }

    /// <summary>
    /// Admin reset (the caller has checked the admin's proof): the authenticator, recovery codes and passkeys go. Returns whether
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
            $"Authenticator app, recovery codes and {current.Passkeys.Count} passkey(s) removed by an administrator's reset."), cancellationToken);
        return true;
    }
}
