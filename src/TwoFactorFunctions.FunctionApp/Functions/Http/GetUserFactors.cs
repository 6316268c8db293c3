using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /api/tenants/{tenantId}/users/{userId}/factors. See <see cref="Api.Handlers.GetUserFactors"/>.</summary>
public sealed class GetUserFactorsFunction(ApiPipeline api)
{
    [Function("GetUserFactors")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tenants/{tenantId}/users/{userId}/factors")] HttpRequest request) =>
        api.Dispatch();
}
