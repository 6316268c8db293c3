using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /api/tenants/{tenantId}. See <see cref="Api.Handlers.GetTenant"/>.</summary>
public sealed class GetTenantFunction(ApiPipeline api)
{
    [Function("GetTenant")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tenants/{tenantId}")] HttpRequest request) =>
        api.Dispatch();
}
