using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>DELETE <see cref="DevicesApi.Routes.Devices"/> — forget all of a user's devices (the user or an admin).</summary>
public static class RevokeAllDevices
{
    public sealed record Revoked(int Count);

    public static async Task<Results<Ok<Revoked>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId,
        ActorRules actors, DeviceTrustService devices, HttpContext context, CancellationToken cancellationToken)
    {
        var actor = await actors.RequireSelfOrAdminAsync(tenantId, userId, actorId, cancellationToken);
        if (!actor.IsSuccess)
        {
            return ApiProblem.From(actor.Error, context);
        }

        return TypedResults.Ok(new Revoked(await devices.RevokeAllAsync(tenantId, userId, actor.Value.UserId, cancellationToken)));
    }
}
