using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>
/// "What does this sign-in still need?", asked by the portal's server after its own password check: the role
/// SignInManager plays for Identity's two-factor sign-in. The decision is <see cref="SignInRules"/>'; this class reads the
/// rows it decides on and writes what it decided.
/// </summary>
public sealed class SignInService(CachingTenantStore tenants, IAccountStore accounts, IUserStore users, IUserFactorStore factors,
    DeviceTrustService devices, ChallengeIssuer issuer, FactorSupport support, TimeProvider time)
{
    public async Task<Result<ChallengeDecision>> CreateSignInChallengeAsync(SignInChallengeRequest request, CancellationToken cancellationToken)
    {
        // The user id comes in the request body, where no route check has seen it; it becomes a table key.
        if (Ids.Validate(request.UserId, "userId") is { } invalid)
        {
            return invalid;
        }

        // The user's profile and account guard come in one query; the tenant usually from this instance's memory, which
        // is safe only for issuing a challenge (the strict answer): see below and CachingTenantStore.
        var tenantRead = tenants.GetRecentAsync(request.TenantId, cancellationToken);
        var accountRead = accounts.ReadAsync(request.TenantId, request.UserId, cancellationToken);
        await Task.WhenAll(tenantRead, accountRead);
        var (tenant, remembered) = await tenantRead;
        var account = await accountRead;
        if (tenant is null)
        {
            return Errors.TenantNotFound;
        }

        if (account.User is not { } user)
        {
            return Errors.UserNotFound;
        }

        // Any answer that could let the user in without a challenge is decided on the tenant as stored, so a switch-on
        // or a tightening made on another instance moments ago is never weakened by a remembered row.
        if (remembered && MayPassWithoutChallenge(tenant, user, request))
        {
            tenant = await tenants.GetAsync(request.TenantId, cancellationToken);
            if (tenant is null)
            {
                return Errors.TenantNotFound;
            }
        }

        if (!user.Active)
        {
            return SignInRules.UserInactive;
        }

        // Read from the rows already in hand: the required actions cost the sign-in no extra round trip.
        var pending = RequiredActions.Pending(tenant, user);
        var held = await factors.OfAsync(user, cancellationToken);
        var decision = await DecideSecondFactorAsync(tenant, user, held, account.Guard, request, pending, cancellationToken);
        return decision.IsSuccess
            ? decision.Value with
            {
                RequiredActions = pending,
                AuthenticatorEnrolmentRequired = decision.Value.Required && SignInRules.NeedsAuthenticator(tenant, user, held, support),
                PasskeyEnrolmentRequired = decision.Value.Required && SignInRules.NeedsPasskey(tenant, user, held, support),
            }
            : decision;
    }

    private static bool MayPassWithoutChallenge(Tenant tenant, DirectoryUser user, SignInChallengeRequest request) =>
        SignInRules.Exemption(tenant, user) is not null || SignInRules.MayBeFirstSignIn(tenant, user) || !string.IsNullOrEmpty(request.DeviceToken);

    private async Task<Result<ChallengeDecision>> DecideSecondFactorAsync(Tenant tenant, DirectoryUser user, UserFactors held, AccountGuard guard,
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
        var usable = SignInRules.UsableFactors(tenant, user, held, support);
        var issued = await issuer.IssueAsync(tenant, user, usable, ChallengePurpose.SignIn, request.SendCode, pending, browser.Hash, cancellationToken, guard);
        return issued.IsSuccess ? new ChallengeDecision(null, issued.Value) { BrowserToken = browser.Token } : issued.Error;
    }
}
