using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Accounts;

public sealed record UserTwoFactorStatus(bool Enabled, bool RequiredByTenant, Channel Channel, Channel? VerifiedChannel, bool ReverifyPending, string? MaskedDestination);

/// <summary>
/// A user's own 2FA (seed B "User Actions") and the admin's controls over it. Turning 2FA on proves the company's
/// channel; turning it off, and an admin's reset, spend a proof under <see cref="FactorChangeRule"/>. Every change
/// replaces the security stamp (voiding remembered devices) and is audited and notified out of band.
/// </summary>
public sealed class UserTwoFactorService(
    AccountLoader accounts,
    IUserStore users,
    FactorChangeProofs proofs,
    DeviceTrustService devices,
    AccountGuardService guards,
    ActorRules actors,
    IAuditLog audit,
    FactorNotifier notifier,
    AccountNotices notices,
    AuthenticatorService authenticators,
    TimeProvider time)
{
    public static readonly DomainError SelfResetForbidden = new(ErrorKind.Forbidden, "self_reset_forbidden",
        "An administrator cannot reset their own two-factor sign-in; another administrator must do it.");

    public async Task<Result<UserTwoFactorStatus>> GetAsync(string tenantId, string userId, string? actorId, CancellationToken cancellationToken)
    {
        var ctx = await accounts.LoadAsync(tenantId, userId, actorId, selfOnly: false, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var (tenant, user) = ctx.Value;
        var required = tenant.TwoFactorEnabled && tenant.Mode == TwoFactorMode.RequiredForAll;
        var enabled = tenant.TwoFactorEnabled && (required || user.TwoFactorEnabled);
        var destination = SignInRules.DestinationFor(tenant.Channel, user);
        return new UserTwoFactorStatus(enabled, required, tenant.Channel, user.VerifiedChannel,
            enabled && user.VerifiedChannel != tenant.Channel, destination is null ? null : Mask(tenant.Channel, destination));
    }

    /// <summary>
    /// A proof challenge for the user's own changes: answerable with the authenticator app (or a recovery code) when one
    /// is enrolled, with a code to the current contact otherwise (and always for turning 2FA on, which proves the channel).
    /// </summary>
    public async Task<Result<ChallengeView>> StartChangeAsync(string tenantId, string userId, string? actorId, CancellationToken cancellationToken)
    {
        var ctx = await accounts.LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        // Turning 2FA on or off is offered only where it is possible, so a code that could prove nothing else is not.
        var (tenant, user) = ctx.Value;
        var optIn = tenant is { TwoFactorEnabled: true, Mode: TwoFactorMode.UserOptIn };
        var operations = FactorChangeRule.SelfOperations.Where(op => op switch
        {
            SensitiveOperation.OptIn => optIn && !user.TwoFactorEnabled,
            SensitiveOperation.OptOut => optIn && user.TwoFactorEnabled,
            _ => true,
        });
        return await proofs.IssueAsync(tenant, user, operations, ChallengePurpose.SelfService, cancellationToken);
    }

    public async Task<Result<UserTwoFactorStatus>> ChangeAsync(string tenantId, string userId, string? actorId, bool? enabled, string? verifiedChallengeId, CancellationToken cancellationToken)
    {
        var ctx = await accounts.LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        if (enabled is not { } enable)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_request", "enabled (true or false) is required.");
        }

        var (tenant, user) = ctx.Value;
        if (!tenant.TwoFactorEnabled)
        {
            return TenantOff;
        }

        if (!enable && tenant.Mode == TwoFactorMode.RequiredForAll)
        {
            return new DomainError(ErrorKind.Conflict, "two_factor_required_by_tenant", "Your company requires two-factor sign-in; it cannot be turned off.");
        }

        if (user.TwoFactorEnabled == enable)
        {
            return await GetAsync(tenantId, userId, actorId, cancellationToken);
        }

        var operation = enable ? SensitiveOperation.OptIn : SensitiveOperation.OptOut;
        var proof = await proofs.SpendAsync(operation, tenant, user, await proofs.HeldAsync(user, cancellationToken), verifiedChallengeId, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error;
        }

        var now = time.GetUtcNow();
        var updated = await users.UpdateAsync(tenantId, userId, u => u with
        {
            TwoFactorEnabled = enable,
            VerifiedChannel = enable ? proof.Value.Channel : null,
            EnrolledAt = enable ? now : u.EnrolledAt,
            SecurityStamp = Ids.NewId(),
        }, cancellationToken);
        if (!updated.IsSuccess)
        {
            return updated.Error;
        }

        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.UserTwoFactorChanged, now, userId, actorId,
            enable ? $"Two-factor turned on ({proof.Value.Channel})." : $"Two-factor turned off (proven by {proof.Value.VerifiedFactor})."), cancellationToken);
        await notifier.NotifyAsync(updated.Value, notices.TwoFactorChanged(enable), $"{proof.Value.ChallengeId}.notice", cancellationToken);
        return await GetAsync(tenantId, userId, actorId, cancellationToken);
    }

    /// <summary>
    /// Admin: the user must verify again at the next sign-in; their authenticator, recovery codes and remembered devices
    /// go. The recovery path for a user with no usable factor left, so it takes the acting admin's own fresh step-up
    /// proof, never the admin's own account, and is told to the user's current and previous contacts.
    /// </summary>
    public async Task<Result<UserTwoFactorStatus>> ResetAsync(string tenantId, string userId, string? actorId, string? verifiedChallengeId,
        CancellationToken cancellationToken)
    {
        var admin = await actors.RequireAdminAsync(tenantId, actorId, cancellationToken);
        if (!admin.IsSuccess)
        {
            return admin.Error;
        }

        // One admin alone must not be able to strip their own factors: that would walk around the policy that holds them.
        if (admin.Value.UserId == userId)
        {
            return SelfResetForbidden;
        }

        var ctx = await accounts.LoadAsync(tenantId, userId, actorId, selfOnly: false, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var (tenant, target) = ctx.Value;
        var targetHeld = await proofs.HeldAsync(target, cancellationToken);
        var proof = await proofs.SpendResetAsync(tenant, admin.Value, target, targetHeld, verifiedChallengeId, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error;
        }

        // The factor row goes before the hint is cleared: the hint may be set without a row, never a row exist without it.
        var hadFactors = await authenticators.RemoveAllAsync(tenantId, userId, admin.Value.UserId, cancellationToken);
        var updated = await users.UpdateAsync(tenantId, userId, u => u with { VerifiedChannel = null, HasFactors = false, SecurityStamp = Ids.NewId() },
            cancellationToken);
        if (!updated.IsSuccess)
        {
            return updated.Error;
        }

        await devices.RevokeAllAsync(tenantId, userId, admin.Value.UserId, cancellationToken);
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.AdminReset, time.GetUtcNow(), userId, admin.Value.UserId,
            $"Two-factor reset by an administrator (step-up proven by {proof.Value.VerifiedFactor}): "
            + (hadFactors ? "authenticator and recovery codes removed; " : "") + "the user verifies again at the next sign-in."), cancellationToken);
        await notifier.NotifyAsync(updated.Value, notices.FactorChanged(FactorNotice.ResetByAdmin, 0), $"{proof.Value.ChallengeId}.reset", cancellationToken);
        return await GetAsync(tenantId, userId, actorId, cancellationToken);
    }

    public async Task<DomainError?> UnlockAsync(string tenantId, string userId, string? actorId, CancellationToken cancellationToken)
    {
        var admin = await actors.RequireAdminAsync(tenantId, actorId, cancellationToken);
        if (!admin.IsSuccess)
        {
            return admin.Error;
        }

        if (await users.GetAsync(tenantId, userId, cancellationToken) is null)
        {
            return Errors.UserNotFound;
        }

        if (await guards.UnlockAsync(tenantId, userId, cancellationToken) is { } contended)
        {
            return contended;
        }

        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.AccountUnlocked, time.GetUtcNow(), userId, admin.Value.UserId, "Account unlocked by an administrator."), cancellationToken);
        return null;
    }

    private static readonly DomainError TenantOff =
        new(ErrorKind.Conflict, "tenant_two_factor_disabled", "Two-factor sign-in is not enabled for this company.");

    private static string Mask(Channel channel, string destination) =>
        channel == Channel.Email ? Masking.Email(destination) : PhoneNumberRules.Mask(destination);
}
