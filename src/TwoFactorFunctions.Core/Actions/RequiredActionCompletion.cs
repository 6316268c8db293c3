using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Actions;

/// <summary>
/// The reads and the write every required action shares: the tenant and the user, and the completion of an action.
/// </summary>
/// <remarks>
/// Each completion is one ETag-conditional write of the user row that both records the effect and removes the action,
/// so of any number of parallel attempts exactly one takes effect, and an action is refused while an earlier one is
/// still pending (<see cref="RequiredActionRules.CompletionRefusal"/>).
/// </remarks>
public sealed class RequiredActionCompletion(ITenantStore tenants, IUserStore users, IAuditLog audit, TimeProvider time)
{
    public async Task<Result<RequiredActionStatus>> CompleteAsync(string tenantId, string userId, RequiredAction action, bool mustBePending,
        Func<Tenant, DirectoryUser, DateTimeOffset, Result<DirectoryUser>> complete, AuditEventType auditType, string auditDetail,
        CancellationToken cancellationToken)
    {
        return await Optimistic.RetryAsync<RequiredActionStatus>(async () =>
        {
            var loaded = await LoadAsync(tenantId, userId, cancellationToken);
            if (!loaded.IsSuccess)
            {
                return loaded.Error;
            }

            var (tenant, user) = loaded.Value;
            if (RequiredActionRules.CompletionRefusal(tenant, user, action, mustBePending) is { } refused)
            {
                return refused;
            }

            var now = time.GetUtcNow();
            var updated = complete(tenant, user, now);
            if (!updated.IsSuccess)
            {
                return updated.Error;
            }

            if (await users.TryReplaceAsync(updated.Value, cancellationToken))
            {
                await audit.RecordAsync(new AuditEvent(tenantId, auditType, now, userId, userId, auditDetail), cancellationToken);
                return RequiredActionStatus.Of(tenant, updated.Value);
            }

            return Optimistic.LostRace;
        }, cancellationToken);
    }

    public async Task<Result<(Tenant Tenant, DirectoryUser User)>> LoadAsync(string tenantId, string userId, CancellationToken cancellationToken,
        bool allowInactive = false)
    {
        var tenantRead = tenants.GetAsync(tenantId, cancellationToken);
        var userRead = users.GetAsync(tenantId, userId, cancellationToken);
        await Task.WhenAll(tenantRead, userRead);
        if (await tenantRead is not { } tenant)
        {
            return Errors.TenantNotFound;
        }

        if (await userRead is not { } user)
        {
            return Errors.UserNotFound;
        }

        return user.Active || allowInactive
            ? (tenant, user)
            : new DomainError(ErrorKind.Forbidden, "user_inactive", "The user is inactive and cannot sign in.");
    }
}
