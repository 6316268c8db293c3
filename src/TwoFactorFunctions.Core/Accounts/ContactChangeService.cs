using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Accounts;

/// <summary>
/// A user's change of email or phone, in two proofs: first a fresh proof with a factor the user already holds (the app
/// when enrolled, else a code to the <b>current</b> contact: <see cref="FactorChangeRule"/>), spent when the change
/// starts; then a code to the <b>new</b> contact, which shows it reaches the user. A session alone, or control of only
/// the new address, changes nothing.
/// </summary>
/// <remarks>
/// The replaced contact is kept on the user row for <see cref="DirectoryUser.ContactGrace"/> and hears of this and every
/// later change in that time (<see cref="FactorNotifier"/>), with the "this wasn't me" token.
/// </remarks>
public sealed class ContactChangeService(
    AccountLoader accounts,
    IUserStore users,
    ChallengeIssuer issuer,
    ChallengeService challenges,
    FactorChangeProofs proofs,
    IAuditLog audit,
    FactorNotifier notifier,
    AccountNotices notices,
    TimeProvider time)
{
    /// <summary>Spends the proof, then sends a code to the new contact; <see cref="CompleteAsync"/> applies the change once that code is verified.</summary>
    public async Task<Result<ChallengeView>> StartAsync(string tenantId, string userId, string? actorId, string? newEmail, string? newPhone,
        string? verifiedChallengeId, CancellationToken cancellationToken)
    {
        var ctx = await accounts.LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var (tenant, user) = ctx.Value;
        if (string.IsNullOrWhiteSpace(newEmail) == string.IsNullOrWhiteSpace(newPhone))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_contact_change", "Give exactly one of email or phone.");
        }

        // Bad input is refused before the proof is spent: a typo must not cost the user a new proof.
        var profile = UserProfile.Create(userId, user.DisplayName, newEmail, newPhone, user.Role, user.Active, tenant.DefaultRegion);
        if (!profile.IsSuccess)
        {
            return profile.Error;
        }

        var proof = await proofs.SpendAsync(SensitiveOperation.ChangeContact, tenant, user, await proofs.HeldAsync(user, cancellationToken),
            verifiedChallengeId, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error;
        }

        var (channel, destination) = profile.Value.Email is { } e
            ? (Channel.Email, e)
            : (tenant.Channel == Channel.Voice ? Channel.Voice : Channel.Sms, profile.Value.Phone!);
        return await issuer.IssueCodeAsync(tenant, user, ChallengePurpose.ContactChange, channel, destination, cancellationToken);
    }

    /// <summary>
    /// Applies a verified contact change. Its challenge exists only because <see cref="StartAsync"/> spent a proof, so the
    /// verified code to the new contact is the second and last proof.
    /// </summary>
    public async Task<Result<DirectoryUser>> CompleteAsync(string tenantId, string userId, string? actorId, string? verifiedChallengeId,
        CancellationToken cancellationToken)
    {
        if (ChallengeIds.Validate(verifiedChallengeId, "challengeId") is { } invalid)
        {
            return invalid;
        }

        var ctx = await accounts.LoadAsync(tenantId, userId, actorId, selfOnly: true, cancellationToken);
        if (!ctx.IsSuccess)
        {
            return ctx.Error;
        }

        var proof = await challenges.ConsumeVerifiedAsync(tenantId, verifiedChallengeId, userId, ChallengePurpose.ContactChange, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error;
        }

        var challenge = proof.Value;
        var isEmail = challenge.Channel == Channel.Email;
        var graceEnds = time.GetUtcNow() + DirectoryUser.ContactGrace;
        var updated = await users.UpdateAsync(tenantId, userId, u => Apply(u, isEmail, challenge.Destination, graceEnds) with { SecurityStamp = Ids.NewId() },
            cancellationToken);
        if (!updated.IsSuccess)
        {
            return updated.Error;
        }

        var what = isEmail ? "email address" : "phone number";
        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.ContactChanged, time.GetUtcNow(), userId, actorId,
            $"The {what} was changed and verified; the previous one is told of changes for {DirectoryUser.ContactGrace.Days} days."), cancellationToken);
        await notifier.NotifyAsync(updated.Value, notices.ContactChanged(what), $"{challenge.ChallengeId}.contact", cancellationToken);
        return updated.Value;
    }

    /// <summary>The new contact replaces the old one, which is kept for the grace period (unless it is the same).</summary>
    private static DirectoryUser Apply(DirectoryUser user, bool isEmail, string destination, DateTimeOffset graceEnds)
    {
        if (isEmail)
        {
            return user.Email is { } old && !string.Equals(old, destination, StringComparison.OrdinalIgnoreCase)
                ? user with { Email = destination, PreviousEmail = old, PreviousEmailUntil = graceEnds }
                : user with { Email = destination };
        }

        return user.Phone is { } oldPhone && oldPhone != destination
            ? user with { Phone = destination, PreviousPhone = oldPhone, PreviousPhoneUntil = graceEnds }
            : user with { Phone = destination };
    }
}
