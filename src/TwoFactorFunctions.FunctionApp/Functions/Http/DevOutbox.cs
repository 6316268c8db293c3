using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /api/tenants/{tenantId}/dev/outbox/{phone}. Development only (404 elsewhere): SMS and calls the dev outbox kept for the tenant.</summary>
public sealed class DevOutboxFunction(ApiPipeline api)
{
    [Function("DevOutbox")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tenants/{tenantId}/dev/outbox/{phone}")] HttpRequest request) =>
        api.Dispatch();
}
