using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Devices;
using TwoFactorFunctions.Core.Security;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>GET <see cref="DevicesApi.Routes.Devices"/> — the user's remembered devices (never their tokens).</summary>
public static class ListDevices
{
    public sealed record Device(string DeviceId, string? Label, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

    public static async Task<Results<Ok<IReadOnlyList<Device>>, ProblemHttpResult>> HandleAsync(
        string tenantId, string userId, [FromHeader(Name = DevicesApi.ActorHeader)] string? actorId,
        ActorRules actors, DeviceTrustService devices, HttpContext context, CancellationToken cancellationToken)
    {
        var actor = await actors.RequireSelfOrAdminAsync(tenantId, userId, actorId, cancellationToken);
        if (!actor.IsSuccess)
        {
            return ApiProblem.From(actor.Error, context);
        }

        var list = await devices.ListAsync(tenantId, userId, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<Device>>(list.Select(d => new Device(d.DeviceId, d.Label, d.CreatedAt, d.ExpiresAt)).ToList());
    }
}
