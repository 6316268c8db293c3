using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Actions;

/// <summary>
/// The required actions of a sign-in (seed A's new user: change the temporary password to the policy, set a recovery
/// question, accept the terms of use): the user's list as the user and the admin see it, and the admin forcing actions.
/// Each action is completed by its own service: <see cref="PasswordChangeService"/>, <see cref="RecoveryQuestionService"/>,
/// <see cref="TermsAcceptanceService"/>, all through <see cref="RequiredActionCompletion"/>.
/// </summary>
public sealed class RequiredActionService(
    ITenantStore tenants,
    IUserStore users,
    RequiredActionCompletion completion,
    ActorRules actors,
    IAuditLog audit,
    TimeProvider time)
{
    /// <summary>Admin: the user must change the password, set the recovery question again, or accept the terms again.</summary>
    public async Task<Result<RequiredActionStatus>> ForceAsync(string tenantId, string userId, string? actorId, IReadOnlyList<RequiredAction>? actions,
        CancellationToken cancellationToken)
    {
        var admin = await actors.RequireAdminAsync(tenantId, actorId, cancellationToken);
        if (!admin.IsSuccess)
        {
            return admin.Error;
        }

        if (!RequiredActionRules.IsValidForce(actions))
        {
            return RequiredActionRules.InvalidForcedActions;
        }

        var tenant = await tenants.GetAsync(tenantId, cancellationToken);
        if (tenant is null)
        {
            return Errors.TenantNotFound;
        }

        if (actions.Contains(RequiredAction.AcceptTerms) && tenant.TermsVersion == 0)
        {
            return RequiredActionRules.NoTerms;
        }

        var updated = await users.UpdateAsync(tenantId, userId, u => RequiredActionRules.Force(u, actions), cancellationToken);
        if (!updated.IsSuccess)
        {
            return updated.Error;
        }

        await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.RequiredActionsSet, time.GetUtcNow(), userId, admin.Value.UserId,
            $"Required at the next sign-in: {string.Join(", ", actions.Distinct().Order())}."), cancellationToken);
        return RequiredActionStatus.Of(tenant, updated.Value);
    }

    public async Task<Result<RequiredActionStatus>> GetStatusAsync(string tenantId, string userId, string? actorId, CancellationToken cancellationToken)
    {
        var actor = await actors.RequireSelfOrAdminAsync(tenantId, userId, actorId, cancellationToken);
        if (!actor.IsSuccess)
        {
            return actor.Error;
        }

        var loaded = await completion.LoadAsync(tenantId, userId, cancellationToken, allowInactive: true);
        return loaded.IsSuccess ? RequiredActionStatus.Of(loaded.Value.Tenant, loaded.Value.User) : loaded.Error;
    }
}
