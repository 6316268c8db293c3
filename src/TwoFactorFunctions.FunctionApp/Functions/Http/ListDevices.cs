using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /api/tenants/{tenantId}/users/{userId}/devices. See <see cref="Api.Handlers.ListDevices"/>.</summary>
public sealed class ListDevicesFunction(ApiPipeline api)
{
    [Function("ListDevices")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tenants/{tenantId}/users/{userId}/devices")] HttpRequest request) =>
        api.Dispatch();
}
