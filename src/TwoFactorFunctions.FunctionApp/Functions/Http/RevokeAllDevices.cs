using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>DELETE /api/tenants/{tenantId}/users/{userId}/devices. See <see cref="Api.Handlers.RevokeAllDevices"/>.</summary>
public sealed class RevokeAllDevicesFunction(ApiPipeline api)
{
    [Function("RevokeAllDevices")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/tenants/{tenantId}/users/{userId}/devices")] HttpRequest request) =>
        api.Dispatch();
}
