using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>
/// "What does this sign-in still need?", asked by the portal's server after its own password check: the role
/// SignInManager plays for Identity's two-factor sign-in. The decision is <see cref="SignInRules"/>'; this class reads the
/// rows it decides on and writes what it decided.
/// </summary>
public sealed class SignInService(ITenantStore tenants, IUserStore users, IUserFactorStore factors, DeviceTrustService devices,
    ChallengeIssuer issuer, TotpSecretProtector protector, TimeProvider time)
{
    public async Task<Result<ChallengeDecision>> CreateSignInChallengeAsync(SignInChallengeRequest request, CancellationToken cancellationToken)
    {
        // The user id comes in the request body, where no route check has seen it; it becomes a table key.
        if (Ids.Validate(request.UserId, "userId") is { } invalid)
        {
            return invalid;
        }

        // Independent point reads, issued together: a sign-in waits for one storage round trip instead of two.
        var tenantRead = tenants.GetAsync(request.TenantId, cancellationToken);
        var userRead = users.GetAsync(request.TenantId, request.UserId, cancellationToken);
        await Task.WhenAll(tenantRead, userRead);
        if (await tenantRead is not { } tenant)
        {
            return Errors.TenantNotFound;
        }

        if (await userRead is not { } user)
        {
            return Errors.UserNotFound;
        }

        if (!user.Active)
        {
            return SignInRules.UserInactive;
        }

        // Read from the rows already in hand: the required actions cost the sign-in no extra round trip.
        var pending = RequiredActions.Pending(tenant, user);
        var held = await factors.OfAsync(user, cancellationToken);
        var decision = await DecideSecondFactorAsync(tenant, user, held, request, pending, cancellationToken);
        return decision.IsSuccess
            ? decision.Value with
            {
                RequiredActions = pending,
                AuthenticatorEnrolmentRequired = decision.Value.Required && SignInRules.NeedsAuthenticator(tenant, user, held, protector.Available),
                PasskeyEnrolmentRequired = decision.Value.Required && SignInRules.NeedsPasskey(tenant, user, held),
            }
            : decision;
    }

    private async Task<Result<ChallengeDecision>> DecideSecondFactorAsync(Tenant tenant, DirectoryUser user, UserFactors held,
        SignInChallengeRequest request, IReadOnlyList<RequiredAction> pending, CancellationToken cancellationToken)
    {
        if (SignInRules.Exemption(tenant, user) is { } exempt)
        {
            return new ChallengeDecision(exempt, null);
        }

        // Conditional on the user as read: of two parallel first sign-ins only one is let through unchallenged.
        if (SignInRules.MayBeFirstSignIn(tenant, user)
            && await users.TryReplaceAsync(user with { FirstSignInAt = time.GetUtcNow() }, cancellationToken))
        {
            return new ChallengeDecision(NotRequiredReason.FirstSignIn, null);
        }

        if (await devices.IsTrustedAsync(tenant, user, request.DeviceToken, cancellationToken))
        {
            return new ChallengeDecision(NotRequiredReason.TrustedDevice, null);
        }

        var browser = BrowserTokens.New();
        var usable = SignInRules.UsableFactors(tenant, user, held, protector.Available);
        var issued = await issuer.IssueAsync(tenant, user, usable, ChallengePurpose.SignIn, request.SendCode, pending, browser.Hash, cancellationToken);
        return issued.IsSuccess ? new ChallengeDecision(null, issued.Value) { BrowserToken = browser.Token } : issued.Error;
    }
}
