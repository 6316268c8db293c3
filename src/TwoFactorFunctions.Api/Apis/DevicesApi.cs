using TwoFactorFunctions.Api.Handlers;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.Api.Apis;

/// <summary>Remembered devices ("do not challenge me on this device"), for the user and for admins.</summary>
public static class DevicesApi
{
    public const string ActorHeader = "X-Actor-Id";

    /// <summary>Each route once, for the map below and the function app's triggers (see <see cref="ChallengesApi.Routes"/>).</summary>
    public static class Routes
    {
        public const string Devices = "api/tenants/{tenantId}/users/{userId}/devices";
        public const string Device = "api/tenants/{tenantId}/users/{userId}/devices/{deviceId}";
    }

    public static RouteGroupBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Devices").AcceptsAccessTokens();

        api.MapGet(Routes.Devices, ListDevices.HandleAsync).WithName(nameof(ListDevices));
        api.MapDelete(Routes.Device, RevokeDevice.HandleAsync).WithName(nameof(RevokeDevice));
        api.MapDelete(Routes.Devices, RevokeAllDevices.HandleAsync).WithName(nameof(RevokeAllDevices));

        return api;
    }
}
