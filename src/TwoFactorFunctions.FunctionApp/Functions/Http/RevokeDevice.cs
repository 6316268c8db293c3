using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>DELETE /api/tenants/{tenantId}/users/{userId}/devices/{deviceId}. See <see cref="Api.Handlers.RevokeDevice"/>.</summary>
public sealed class RevokeDeviceFunction(ApiPipeline api)
{
    [Function("RevokeDevice")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/tenants/{tenantId}/users/{userId}/devices/{deviceId}")] HttpRequest request) =>
        api.Dispatch();
}
