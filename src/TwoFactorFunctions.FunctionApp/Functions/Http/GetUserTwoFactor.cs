using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /api/tenants/{tenantId}/users/{userId}/two-factor. See <see cref="Api.Handlers.GetUserTwoFactor"/>.</summary>
public sealed class GetUserTwoFactorFunction(ApiPipeline api)
{
    [Function("GetUserTwoFactor")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tenants/{tenantId}/users/{userId}/two-factor")] HttpRequest request) =>
        api.Dispatch();
}
