using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>What a verify reads beside the challenge: the account guard, and for a sign-in the tenant and user as they are now.</summary>
public sealed record VerifyState(AccountGuard Guard, Tenant? Tenant, DirectoryUser? User, UserFactors? Factors, DomainError? Refusal);

/// <summary>
/// Reads a verify's <see cref="VerifyState"/>. A sign-in is re-checked against the tenant and user as they are at verify,
/// not as they were at issue: a policy tightened, an app enrolled or a user deactivated in between decides the answer.
/// The reads go out together with the guard's, so they cost the verify no extra round trip; the factor row is read only
/// for a user who has one.
/// </summary>
public sealed class VerifyStateReader(ITenantStore tenants, IUserStore users, IUserFactorStore factors, AccountGuardService guards,
    FactorSupport support)
{
    public async Task<VerifyState> ReadAsync(Challenge challenge, Factor factor, bool readsFactorRow, CancellationToken cancellationToken)
    {
        var guardRead = guards.GetAsync(challenge.TenantId, challenge.UserId, cancellationToken);
        if (challenge.Purpose != ChallengePurpose.SignIn)
        {
            var own = readsFactorRow ? await factors.GetAsync(challenge.TenantId, challenge.UserId, cancellationToken) : null;
            return new VerifyState(await guardRead, null, null, own, null);
        }

        var tenantRead = tenants.GetAsync(challenge.TenantId, cancellationToken);
        var userRead = users.GetAsync(challenge.TenantId, challenge.UserId, cancellationToken);
        await Task.WhenAll(guardRead, tenantRead, userRead);
        var (guard, tenant, user) = (await guardRead, await tenantRead, await userRead);
        if (tenant is null || user is null)
        {
            return new VerifyState(guard, tenant, user, null, tenant is null ? Errors.TenantNotFound : Errors.UserNotFound);
        }

        var held = await factors.OfAsync(user, cancellationToken);
        return new VerifyState(guard, tenant, user, held, SignInRules.RefusalAtVerify(tenant, user, held, factor, support));
    }
}
