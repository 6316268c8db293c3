using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>Remembered devices ("do not challenge me on this device"), for the user and for admins.</summary>
public static class DevicesApi
{
    public const string ActorHeader = "X-Actor-Id";

    public static RouteGroupBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tenants/{tenantId}/users/{userId}/devices").WithTags("Devices").AcceptsAccessTokens();

        api.MapGet("/", ListDevices.HandleAsync).WithName(nameof(ListDevices));
        api.MapDelete("/{deviceId}", RevokeDevice.HandleAsync).WithName(nameof(RevokeDevice));
        api.MapDelete("/", RevokeAllDevices.HandleAsync).WithName(nameof(RevokeAllDevices));

        return api;
    }
}
