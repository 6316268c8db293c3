using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>The rows a verify reads first: the challenge (null when there is none), the user's account and the tenant.</summary>
public sealed record VerifyRows(Challenge? Challenge, Account Account, Tenant? Tenant);

/// <summary>What a verify decides on beside the challenge: the account guard, and for a sign-in the tenant and user as they are now.</summary>
public sealed record VerifyState(AccountGuard Guard, Tenant? Tenant, DirectoryUser? User, UserFactors? Factors, DomainError? Refusal);

/// <summary>
/// Reads a verify's rows. The challenge, the user's profile and the account guard are one query (the challenge id names
/// its user, and a user's rows are stored together); the tenant is read as stored, beside it. A sign-in is re-checked
/// against the tenant and user as they are at verify, not as they were at issue: a policy tightened, an app enrolled or a
/// user deactivated in between decides the answer. The factor row is read only for a user who has one.
/// </summary>
public sealed class VerifyStateReader(IAccountStore accounts, ITenantStore tenants, IUserFactorStore factors, FactorSupport support)
{
    public async Task<VerifyRows?> ReadAsync(string tenantId, string challengeId, CancellationToken cancellationToken)
    {
        if (!ChallengeIds.TryGetUserId(challengeId, out var userId))
        {
            return null;
        }

        // The tenant is needed by sign-in challenges only, but which purpose this is is known only once the challenge is
        // read: reading it alongside costs a request, never a round trip.
        var accountRead = accounts.ReadAsync(tenantId, userId, cancellationToken);
        var tenantRead = tenants.GetAsync(tenantId, cancellationToken);
        await Task.WhenAll(accountRead, tenantRead);
        var account = await accountRead;
        return new VerifyRows(account.Challenge(challengeId), account, await tenantRead);
    }

    public async Task<VerifyState> StateAsync(VerifyRows rows, Challenge challenge, Factor factor, bool readsFactorRow, CancellationToken cancellationToken)
    {
        var guard = rows.Account.Guard;
        if (challenge.Purpose != ChallengePurpose.SignIn)
        {
            var own = readsFactorRow ? await factors.GetAsync(challenge.TenantId, challenge.UserId, cancellationToken) : null;
            return new VerifyState(guard, null, null, own, null);
        }

        var (tenant, user) = (rows.Tenant, rows.Account.User);
        if (tenant is null || user is null)
        {
            return new VerifyState(guard, tenant, user, null, tenant is null ? Errors.TenantNotFound : Errors.UserNotFound);
        }

        var held = await factors.OfAsync(user, cancellationToken);
        return new VerifyState(guard, tenant, user, held, SignInRules.RefusalAtVerify(tenant, user, held, factor, support));
    }
}
