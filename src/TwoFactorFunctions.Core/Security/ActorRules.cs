using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Security;

/// <summary>
/// Who may act: the portal passes the signed-in user as the actor. Actors are looked up in the route's tenant only,
/// so an admin of one company is simply unknown in another.
/// </summary>
public sealed class ActorRules(IUserStore users)
{
    public static readonly DomainError ActorRequired =
        new(ErrorKind.Forbidden, "actor_required", "Pass the acting user's id in the X-Actor-Id header.");

    public static readonly DomainError AdminRequired =
        new(ErrorKind.Forbidden, "admin_required", "Only an active administrator of this tenant may do this.");

    public async Task<Result<DirectoryUser>> RequireAdminAsync(string tenantId, string? actorId, CancellationToken cancellationToken)
    {
        var actor = await FindActorAsync(tenantId, actorId, cancellationToken);
        if (!actor.IsSuccess)
        {
            return actor.Error;
        }

        return actor.Value.Role == UserRole.Admin ? actor.Value : AdminRequired;
    }

    /// <summary>The user themself, or an admin of the same tenant.</summary>
    public async Task<Result<DirectoryUser>> RequireSelfOrAdminAsync(string tenantId, string userId, string? actorId, CancellationToken cancellationToken)
    {
        var actor = await FindActorAsync(tenantId, actorId, cancellationToken);
        if (!actor.IsSuccess)
        {
            return actor.Error;
        }

        return actor.Value.UserId == userId || actor.Value.Role == UserRole.Admin
            ? actor.Value
            : new DomainError(ErrorKind.Forbidden, "actor_forbidden", "Only the user or an administrator of this tenant may do this.");
    }

    /// <summary>
    /// With <paramref name="selfOnly"/>, the user themself: an admin may look at (and reset) a user's factors, but proving
    /// or changing one is personal. Otherwise as <see cref="RequireSelfOrAdminAsync(string, string, string?, CancellationToken)"/>.
    /// </summary>
    public async Task<Result<DirectoryUser>> RequireSelfOrAdminAsync(string tenantId, string userId, string? actorId, bool selfOnly,
        CancellationToken cancellationToken)
    {
        var actor = await RequireSelfOrAdminAsync(tenantId, userId, actorId, cancellationToken);
        return actor.IsSuccess && selfOnly && actor.Value.UserId != userId
            ? new DomainError(ErrorKind.Forbidden, "actor_forbidden", "Only the user themself may do this.")
            : actor;
    }

    private async Task<Result<DirectoryUser>> FindActorAsync(string tenantId, string? actorId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(actorId))
        {
            return ActorRequired;
        }

        if (!Ids.IsValid(actorId))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_id", "X-Actor-Id is not a valid user id.");
        }

        var actor = await users.GetAsync(tenantId, actorId, cancellationToken);
        return actor is { Active: true } ? actor : new DomainError(ErrorKind.Forbidden, "actor_forbidden", "The acting user is not an active user of this tenant.");
    }
}
