using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>PUT /api/tenants/{tenantId}. See <see cref="Api.Handlers.UpsertTenant"/>.</summary>
public sealed class UpsertTenantFunction(ApiPipeline api)
{
    [Function("UpsertTenant")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/tenants/{tenantId}")] HttpRequest request) =>
        api.Dispatch();
}
