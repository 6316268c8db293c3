using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Accounts;

public sealed record UserTwoFactorStatus(bool Enabled, bool RequiredByTenant, Channel Channel, Channel? VerifiedChannel, bool ReverifyPending, string? MaskedDestination);

/// <summary>
/// A user's own 2FA (seed B "User Actions") and the admin's controls over it. Every weakening or factor change needs a
/// freshly verified, single-use challenge; every change replaces the security stamp (voiding remembered devices) and
/// is audited and notified out of band.
/// </summary>
public sealed class UserTwoFactorService(
    ITenantStore tenants,
    IUserStore users,
    ChallengeService challenges,
    DeviceTrustService devices,
    AccountGuardService guards,
    ActorRules actors,
    IAuditLog audit,
    IEmailSender email,
    AccountNotices notices,
    Factors.AuthenticatorService authenticators,
    TimeProvider time,
    ISmsSender? sms = null)
{
    public async Task<Result<UserTwoFactorStatus>> GetAsync(string tenantId, string userId, string? actorId, CancellationToken cancellationToken)
    {
        var ctx = await LoadAsync(tenantId, userId, actorId, selfOnly: false, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error!;
        }

        var (tenant, user) = ctx.Value;
        var required = tenant.TwoFactorEnabled && tenant.Mode == TwoFactorMode.RequiredForAll;
        var enabled = tenant.TwoFactorEnabled && (required || user.TwoFactorEnabled);
        var destination = ChallengeService.DestinationFor(tenant.Channel, user);
        return new UserTwoFactorStatus(enabled, required, tenant.Channel, user.VerifiedChannel,
            enabled && user.VerifiedChannel != tenant.Channel, destination is null ? null : Mask(tenant.Channel, destination));
    }

    /// <summary>Sends a code over the tenant's channel to prove it before turning 2FA on or off.</summary>
    public async Task<Result<ChallengeView>> StartChangeAsync(string tenantId, string userId, string? actorId, CancellationToken cancellationToken)
    {
        var ctx = await LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error!;
        }

        var (tenant, user) = ctx.Value;
        if (!tenant.TwoFactorEnabled)
        {
            return TenantOff;
        }

        var destination = ChallengeService.DestinationFor(tenant.Channel, user);
        if (destination is null)
        {
            return NoContact(tenant.Channel);
        }

        return await challenges.IssueAsync(tenant, user, ChallengePurpose.SelfService, tenant.Channel, destination, sendCode: true, cancellationToken);
    }

    public async Task<Result<UserTwoFactorStatus>> ChangeAsync(string tenantId, string userId, string? actorId, bool? enabled, string? verifiedChallengeId, CancellationToken cancellationToken)
    {
        var ctx = await LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error!;
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

        var proof = await challenges.ConsumeVerifiedAsync(tenantId, verifiedChallengeId, userId, ChallengePurpose.SelfService, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error!;
        }

        var now = time.GetUtcNow();
        var updated = await users.UpdateAsync(tenantId, userId, u => u with
        {
            TwoFactorEnabled = enable,
            VerifiedChannel = enable ? proof.Value!.Channel : null,
            EnrolledAt = enable ? now : u.EnrolledAt,
            SecurityStamp = Ids.NewId(),
        }, cancellationToken);
        if (!updated.IsSuccess)
        {
            return updated.Error!;
        }

        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.UserTwoFactorChanged, now, userId, actorId,
            enable ? $"Two-factor turned on ({proof.Value!.Channel})." : "Two-factor turned off."), cancellationToken);
        if (updated.Value!.Email is not null)
        {
            await email.SendAsync(notices.TwoFactorChanged(updated.Value, enable, $"{proof.Value!.ChallengeId}.notice"), cancellationToken);
        }

        return await GetAsync(tenantId, userId, actorId, cancellationToken);
    }

    /// <summary>Sends a code to the NEW email or phone; the change happens only once that code is verified.</summary>
    public async Task<Result<ChallengeView>> StartContactChangeAsync(string tenantId, string userId, string? actorId, string? newEmail, string? newPhone, CancellationToken cancellationToken)
    {
        var ctx = await LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error!;
        }

        var (tenant, user) = ctx.Value;
        if (string.IsNullOrWhiteSpace(newEmail) == string.IsNullOrWhiteSpace(newPhone))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_contact_change", "Give exactly one of email or phone.");
        }

        var profile = UserProfile.Create(userId, user.DisplayName, newEmail, newPhone, user.Role, user.Active, tenant.DefaultRegion);
        if (!profile.IsSuccess)
        {
            return profile.Error!;
        }

        var (channel, destination) = profile.Value!.Email is { } e
            ? (Channel.Email, e)
            : (tenant.Channel == Channel.Voice ? Channel.Voice : Channel.Sms, profile.Value.Phone!);
        return await challenges.IssueAsync(tenant, user, ChallengePurpose.ContactChange, channel, destination, sendCode: true, cancellationToken);
    }

    public async Task<Result<DirectoryUser>> CompleteContactChangeAsync(string tenantId, string userId, string? actorId, string? verifiedChallengeId, CancellationToken cancellationToken)
    {
        if (Ids.Validate(verifiedChallengeId, "challengeId") is { } invalid)
        {
            return invalid;
        }

        var ctx = await LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error!;
        }

        var proof = await challenges.ConsumeVerifiedAsync(tenantId, verifiedChallengeId, userId, ChallengePurpose.ContactChange, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error!;
        }

        var challenge = proof.Value!;
        var isEmail = challenge.Channel == Channel.Email;
        var old = ctx.Value.User;
        var updated = await users.UpdateAsync(tenantId, userId, u => (isEmail ? u with { Email = challenge.Destination } : u with { Phone = challenge.Destination })
            with { SecurityStamp = Ids.NewId() }, cancellationToken);
        if (!updated.IsSuccess)
        {
            return updated.Error!;
        }

        var what = isEmail ? "email address" : "phone number";
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.ContactChanged, time.GetUtcNow(), userId, actorId, $"The {what} was changed and verified."), cancellationToken);

        var key = $"{challenge.ChallengeId}.old";
        if (isEmail && old.Email is { } oldEmail && oldEmail != challenge.Destination)
        {
            await email.SendAsync(notices.ContactChangedEmail(oldEmail, updated.Value!, what, key), cancellationToken);
        }
        else if (!isEmail && old.Phone is { } oldPhone && oldPhone != challenge.Destination && sms is not null)
        {
            await sms.SendAsync(notices.ContactChangedSms(tenantId, oldPhone, key), cancellationToken);
        }

        return updated.Value!;
    }

    /// <summary>Admin: the user must verify again at the next sign-in, and every remembered device is forgotten.</summary>
    public async Task<Result<UserTwoFactorStatus>> ResetAsync(string tenantId, string userId, string? actorId, CancellationToken cancellationToken)
    {
        if (Ids.Validate(userId, "userId") is { } invalid)
        {
            return invalid;
        }

        var admin = await actors.RequireAdminAsync(tenantId, actorId, cancellationToken);
        if (!admin.IsSuccess)
        {
            return admin.Error!;
        }

        var updated = await users.UpdateAsync(tenantId, userId, u => u with { VerifiedChannel = null, SecurityStamp = Ids.NewId() }, cancellationToken);
        if (!updated.IsSuccess)
        {
            return updated.Error!;
        }

        await devices.RevokeAllAsync(tenantId, userId, admin.Value!.UserId, cancellationToken);
        await authenticators.RemoveAllAsync(tenantId, updated.Value!, admin.Value.UserId, cancellationToken);
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.AdminReset, time.GetUtcNow(), userId, admin.Value.UserId,
            "Two-factor reset by an administrator: the user verifies again at the next sign-in."), cancellationToken);
        return await GetAsync(tenantId, userId, actorId, cancellationToken);
    }

    public async Task<DomainError?> UnlockAsync(string tenantId, string userId, string? actorId, CancellationToken cancellationToken)
    {
        if (Ids.Validate(userId, "userId") is { } invalid)
        {
            return invalid;
        }

        var admin = await actors.RequireAdminAsync(tenantId, actorId, cancellationToken);
        if (!admin.IsSuccess)
        {
            return admin.Error!;
        }

        if (await users.GetAsync(tenantId, userId, cancellationToken) is null)
        {
            return Errors.UserNotFound;
        }

        await guards.UnlockAsync(tenantId, userId, cancellationToken);
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.AccountUnlocked, time.GetUtcNow(), userId, admin.Value!.UserId, "Account unlocked by an administrator."), cancellationToken);
        return null;
    }

    private static readonly DomainError TenantOff =
        new(ErrorKind.Conflict, "tenant_two_factor_disabled", "Two-factor sign-in is not enabled for this company.");

    private static DomainError NoContact(Channel channel) =>
        new(ErrorKind.Conflict, "no_contact_for_channel", $"There is no {CodeMessages.ChannelName(channel)} contact to send a code to.");

    private static string Mask(Channel channel, string destination) =>
        channel == Channel.Email ? Masking.Email(destination) : PhoneNumberRules.Mask(destination);

    private async Task<Result<(Tenant Tenant, DirectoryUser User)>> LoadAsync(string tenantId, string userId, string? actorId, bool selfOnly, CancellationToken cancellationToken)
    {
        if ((Ids.Validate(tenantId, "tenantId") ?? Ids.Validate(userId, "userId")) is { } invalid)
        {
            return invalid;
        }

        var actor = await actors.RequireSelfOrAdminAsync(tenantId, userId, actorId, selfOnly, cancellationToken);
        if (!actor.IsSuccess)
        {
            return actor.Error!;
        }

        var tenant = await tenants.GetAsync(tenantId, cancellationToken);
        var user = await users.GetAsync(tenantId, userId, cancellationToken);
        if (tenant is null)
        {
            return Errors.TenantNotFound;
        }

        return user is null ? Errors.UserNotFound : (tenant, user);
    }
}
