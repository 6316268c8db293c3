using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TwoFactorFunctions.Api.Hosting;

namespace TwoFactorFunctions.FunctionApp.Functions.Http;

/// <summary>GET /api/tenants/{tenantId}/users/{userId}/required-actions. See <see cref="Api.Handlers.GetRequiredActions"/>.</summary>
public sealed class GetRequiredActionsFunction(ApiPipeline api)
{
    [Function("GetRequiredActions")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tenants/{tenantId}/users/{userId}/required-actions")] HttpRequest request) =>
        api.Dispatch();
}
