using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /api/tenants/{tenantId}/audit. See <see cref="Api.Handlers.ListAuditEvents"/>.</summary>
public sealed class ListAuditEventsFunction(ApiPipeline api)
{
    [Function("ListAuditEvents")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tenants/{tenantId}/audit")] HttpRequest request) =>
        api.Dispatch();
}
