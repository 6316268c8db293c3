using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Accounts;

/// <summary>The preamble of every account operation: ids valid, the actor allowed, then the tenant and the user.</summary>
public sealed class AccountLoader(ITenantStore tenants, IUserStore users, ActorRules actors)
{
    /// <param name="selfOnly">Only the user themself: changing how a user proves who they are is the user's own act.</param>
    public async Task<Result<(Tenant Tenant, DirectoryUser User)>> LoadAsync(string tenantId, string userId, string? actorId, bool selfOnly,
        CancellationToken cancellationToken)
    {
        // The actor first: a caller who may not act gets the same answer whether or not the user exists.
        var actor = await actors.RequireSelfOrAdminAsync(tenantId, userId, actorId, selfOnly, cancellationToken);
        if (!actor.IsSuccess)
        {
            return actor.Error;
        }

        var tenantRead = tenants.GetAsync(tenantId, cancellationToken);
        var userRead = users.GetAsync(tenantId, userId, cancellationToken);
        await Task.WhenAll(tenantRead, userRead);
        if (await tenantRead is not { } tenant)
        {
            return Errors.TenantNotFound;
        }

        return await userRead is { } user ? (tenant, user) : Errors.UserNotFound;
    }
}
