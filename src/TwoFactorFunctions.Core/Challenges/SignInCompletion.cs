using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>
/// What a verified sign-in challenge leads to: the channel proven, the device remembered if asked, and what the sign-in
/// still needs (required actions, an app to enrol), all from the rows read for this verify.
/// </summary>
public sealed class SignInCompletion(IUserStore users, DeviceTrustService devices, ChallengeViews views, TotpSecretProtector protector)
{
    public async Task<VerifyOutcome> CompleteAsync(Challenge verified, VerifyRequest request, VerifyState state, CancellationToken cancellationToken)
    {
        if (verified.Purpose != ChallengePurpose.SignIn || state is not { Tenant: { } tenant, User: { } user, Factors: { } held })
        {
            return new VerifyOutcome(views.Of(verified), null);
        }

        var enrolmentOnly = SignInRules.IsEnrolmentOnly(tenant, request.Factor);
        if (user.VerifiedChannel != verified.Channel)
        {
            user = await RecordChannelProvenAsync(user, verified.Channel, cancellationToken) ?? user;
        }

        IssuedDeviceToken? device = null;
        if (request.RememberDevice && tenant.DeviceTrustDays > 0 && !enrolmentOnly)
        {
            device = await devices.IssueAsync(tenant, user, request.DeviceLabel, cancellationToken);
        }

        // Recomputed from the rows read for this verify: an action forced after the challenge was issued is not missed.
        return new VerifyOutcome(views.Of(verified), device)
        {
            RequiredActions = RequiredActions.Pending(tenant, user),
            AuthenticatorEnrolmentRequired = SignInRules.NeedsAuthenticator(tenant, user, held, protector.Available),
            PasskeyEnrolmentRequired = SignInRules.NeedsPasskey(tenant, user, held),
            EnrolmentOnly = enrolmentOnly,
        };
    }

    /// <summary>A sign-in verified on the tenant's current channel completes a pending re-verification (seed B).</summary>
    private async Task<DirectoryUser?> RecordChannelProvenAsync(DirectoryUser user, Channel channel, CancellationToken cancellationToken)
    {
        var result = await users.UpdateAsync(user.TenantId, user.UserId,
            u => u.VerifiedChannel == channel ? u : u with { VerifiedChannel = channel }, cancellationToken);
        return result.IsSuccess ? result.Value : null;
    }
}
