using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>DELETE <see cref="DevicesApi.Routes.Device"/> — forget one device (the user or an admin).</summary>
public static class RevokeDevice
{
    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, string deviceId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId,
        ActorRules actors, DeviceTrustService devices, HttpContext context, CancellationToken cancellationToken)
    {
        var actor = await actors.RequireSelfOrAdminAsync(tenantId, userId, actorId, cancellationToken);
        if (!actor.IsSuccess)
        {
            return ApiProblem.From(actor.Error, context);
        }

        return await devices.RevokeAsync(tenantId, userId, deviceId, actor.Value.UserId, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblem.Create(ErrorKind.NotFound, "device_not_found", "No such device for this user.", context);
    }
}
