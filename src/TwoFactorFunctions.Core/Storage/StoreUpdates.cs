using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.Core.Storage;

/// <summary>
/// Read, change, write if unchanged since the read (ETag), and on a lost race read again: a change computed from the
/// row as it is now, so two parallel requests never overwrite each other. A change that returns the row it was given
/// has nothing to write.
/// </summary>
public static class StoreUpdates
{
    public static Task<Result<DirectoryUser>> UpdateAsync(this IUserStore users, string tenantId, string userId,
        Func<DirectoryUser, DirectoryUser> change, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync<DirectoryUser>(async () =>
        {
            if (await users.GetAsync(tenantId, userId, cancellationToken) is not { } user)
            {
                return Challenges.Errors.UserNotFound;
            }

            var updated = change(user);
            return ReferenceEquals(updated, user) || await users.TryReplaceAsync(updated, cancellationToken) ? updated : Optimistic.LostRace;
        }, cancellationToken);

    public static Task<Result<Tenant>> UpdateAsync(this ITenantStore tenants, string tenantId, Func<Tenant, Tenant> change,
        CancellationToken cancellationToken) =>
        Optimistic.RetryAsync<Tenant>(async () =>
        {
            if (await tenants.GetAsync(tenantId, cancellationToken) is not { } tenant)
            {
                return Challenges.Errors.TenantNotFound;
            }

            var updated = change(tenant);
            return ReferenceEquals(updated, tenant) || await tenants.TryReplaceAsync(updated, cancellationToken) ? updated : Optimistic.LostRace;
        }, cancellationToken);
}
